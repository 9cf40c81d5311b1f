package io.runnel.broker.config;

import io.runnel.broker.quota.QuotaWindow;
import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.ListenerSpec;
import io.runnel.broker.network.NetworkConfig;
import io.runnel.broker.replica.ReplicationConfig;
import io.runnel.broker.security.InterBrokerSasl;
import io.runnel.broker.security.SaslSettings;
import io.runnel.broker.security.ControllerTls;
import io.runnel.broker.security.SslSettings;
import io.runnel.http.BasicAuth;
import io.runnel.http.HttpEndpoints;
import io.runnel.http.HttpTls;
import io.runnel.metadata.quorum.QuorumTransport;
import io.runnel.storage.LogManagerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.replica.ReplicaSelector;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.runnel.broker.config.BrokerConfigDef.*;

/**
 * A node's configuration: Kafka's broker property names, parsed and validated once at start-up.
 * Every error names the key, the value and the rule it breaks.
 */
public final class BrokerConfig {
    /** Kafka's producer.id.expiration.check.interval.ms, an internal setting it does not document. */
    private static final long PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS = 600_000;

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfig.class);
    /** The prefixes of the built-in HTTP services' TLS keys; the first two also take basic auth's. */
    private static final List<String> HTTP_SERVICE_PREFIXES = List.of("schema.registry.", "rest.proxy.", "admin.",
            "console.");

    /** What `runnel server` runs without a properties file: one combined node on localhost. */
    private static final Map<String, String> EMBEDDED_DEFAULTS = orderedMap(
            NODE_ID, "1",
            PROCESS_ROLES, "broker,controller",
            LISTENERS, "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
            ADVERTISED_LISTENERS, "PLAINTEXT://localhost:9092",
            CONTROLLER_LISTENER_NAMES, "CONTROLLER",
            LISTENER_SECURITY_PROTOCOL_MAP, "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            CONTROLLER_QUORUM_VOTERS, "1@localhost:9093",
            LOG_DIRS, "./data",
            ADMIN_LISTENERS, "http://localhost:9644",
            SCHEMA_REGISTRY_LISTENERS, "http://localhost:8081",
            REST_PROXY_LISTENERS, "http://localhost:8082",
            CONSOLE_LISTENERS, "http://localhost:8080",
            NUM_PARTITIONS, "1",
            "offsets.topic.replication.factor", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0");

    private final Map<String, String> originals;
    private final Map<String, Object> values;
    private final Set<String> processRoles;
    private final List<ListenerSpec> listeners;
    private final List<String> controllerListenerNames;
    private final List<ListenerSpec> brokerListeners;
    private final List<ListenerSpec> advertisedListeners;
    private final String interBrokerListenerName;
    /** The TLS settings of each SSL and SASL_SSL listener, by listener name. */
    private final Map<String, SslSettings> sslSettings;
    /** listener.security.protocol.map. */
    private final Map<String, SecurityProtocol> protocols;
    private final HttpEndpoints adminHttp;
    private final HttpEndpoints schemaRegistryHttp;
    private final HttpEndpoints restProxyHttp;
    private final HttpEndpoints consoleHttp;
    /** console.basic.auth.passwords; null for no login. */
    private final BasicAuth consoleBasicAuth;
    /** The SASL settings of each SASL_PLAINTEXT and SASL_SSL listener, by listener name. */
    private final Map<String, SaslSettings> saslSettings;
    private final InterBrokerSasl interBrokerSasl;
    private final Map<Integer, InetSocketAddress> voters;
    private final List<Path> logDirs;
    private final long queuedMaxRequestBytes;
    private final ConnectionLimits connectionLimits;
    private final boolean authorizerEnabled;
    private final Set<String> superUsers;

    private BrokerConfig(Map<String, String> props) {
        originals = Collections.unmodifiableMap(withIdSynonyms(props));
        values = DEF.parse(originals);
        warnAboutKeysNotUsed(props.keySet());
        checkBrokerIdIsNodeId();
        authorizerEnabled = SecurityChecks.authorizerEnabled((String) values.get(AUTHORIZER_CLASS_NAME));
        superUsers = parseSuperUsers((String) values.get(SUPER_USERS));
        processRoles = Collections.unmodifiableSet(new LinkedHashSet<>(list(PROCESS_ROLES)));
        protocols =
                ListenerParser.protocolMap(LISTENER_SECURITY_PROTOCOL_MAP, (String) values.get(LISTENER_SECURITY_PROTOCOL_MAP));
        listeners = List.copyOf(ListenerParser.listeners(LISTENERS, list(LISTENERS), protocols));
        controllerListenerNames = parseControllerListenerNames(protocols);
        SecurityChecks.checkProtocolsProvided(listeners, controllerListenerNames);
        brokerListeners = listeners.stream()
                .filter(l -> !controllerListenerNames.contains(l.name()))
                .collect(Collectors.toUnmodifiableList());
        checkListenersFitRoles();
        advertisedListeners = parseAdvertisedListeners(protocols);
        interBrokerListenerName = resolveInterBrokerListenerName();
        sslSettings = brokerListeners.stream()
                .filter(l -> l.protocol() == SecurityProtocol.SSL || l.protocol() == SecurityProtocol.SASL_SSL)
                .collect(Collectors.toUnmodifiableMap(ListenerSpec::name, l -> SslSettings.forListener(originals, l.name())));
        saslSettings = brokerListeners.stream()
                .filter(l -> l.protocol() == SecurityProtocol.SASL_PLAINTEXT || l.protocol() == SecurityProtocol.SASL_SSL)
                .collect(Collectors.toUnmodifiableMap(ListenerSpec::name, l -> SaslSettings.forListener(originals, l.name())));
        SaslSettings interBrokerListenerSasl = saslSettings.get(interBrokerListenerName);
        interBrokerSasl = interBrokerListenerSasl == null ? null : InterBrokerSasl.of(originals, interBrokerListenerSasl);
        voters = Collections.unmodifiableMap(resolveVoters());
        logDirs = resolveLogDirs();
        adminHttp = http(ADMIN_LISTENERS, null);
        schemaRegistryHttp = http(SCHEMA_REGISTRY_LISTENERS, "SchemaRegistry");
        restProxyHttp = http(REST_PROXY_LISTENERS, "KafkaRest");
        consoleHttp = http(CONSOLE_LISTENERS, null);
        consoleBasicAuth = httpSetting(() -> BasicAuth.inline(CONSOLE_BASIC_AUTH_PASSWORDS,
                (String) values.get(CONSOLE_BASIC_AUTH_PASSWORDS), "Runnel console"));
        queuedMaxRequestBytes = NetworkLimits.queuedMaxRequestBytes((Long) values.get(NetworkLimits.QUEUED_MAX_REQUEST_BYTES),
                (Integer) values.get(SOCKET_REQUEST_MAX_BYTES), Runtime.getRuntime().maxMemory());
        connectionLimits = NetworkLimits.connectionLimits((Integer) values.get(NetworkLimits.MAX_CONNECTIONS),
                (Integer) values.get(NetworkLimits.MAX_CONNECTIONS_PER_IP),
                (String) values.get(NetworkLimits.MAX_CONNECTIONS_PER_IP_OVERRIDES), originals, brokerListeners,
                interBrokerListenerName);
    }

    /** Whether {@code authorizer.class.name} names Kafka's StandardAuthorizer, which turns ACL checks on. */
    public boolean authorizerEnabled() {
        return authorizerEnabled;
    }

    /** The principals of {@code super.users}, as {@code User:admin}. */
    public Set<String> superUsers() {
        return superUsers;
    }

    public boolean allowEveryoneIfNoAclFound() {
        return (Boolean) values.get(ALLOW_EVERYONE_IF_NO_ACL_FOUND);
    }

    /** Kafka's syntax: principals separated by semicolons, each {@code Type:name}. */
    private static Set<String> parseSuperUsers(String value) {
        Set<String> principals = new LinkedHashSet<>();
        for (String entry : value.split(";")) {
            String principal = entry.trim();
            if (principal.isEmpty()) {
                continue;
            }
            if (principal.indexOf(':') <= 0) {
                throw new ConfigException(SUPER_USERS, value, "principal " + principal + " is not of the form "
                        + "Type:name, e.g. User:admin");
            }
            principals.add(principal);
        }
        return Collections.unmodifiableSet(principals);
    }

    public static BrokerConfig parse(Map<String, String> props) {
        return new BrokerConfig(props);
    }

    public static BrokerConfig embeddedDefaults() {
        return parse(EMBEDDED_DEFAULTS);
    }

    /**
     * Reads a properties file (or, when {@code file} is null, the embedded defaults) and applies
     * {@code key=value} overrides on top, in order.
     */
    public static Map<String, String> load(Path file, List<String> overrides) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        if (file == null) {
            props.putAll(EMBEDDED_DEFAULTS);
        } else {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            for (String name : p.stringPropertyNames()) {
                props.put(name, p.getProperty(name));
            }
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Invalid override '" + override + "': expected key=value");
            }
            props.put(override.substring(0, eq).trim(), override.substring(eq + 1).trim());
        }
        return props;
    }

    public int nodeId() {
        return (Integer) values.get(NODE_ID);
    }

    public Set<String> processRoles() {
        return processRoles;
    }

    /** Every listener this node binds, controller listeners included. */
    public List<ListenerSpec> listeners() {
        return listeners;
    }

    /** The listeners serving clients and other brokers: all but the controller listeners. */
    public List<ListenerSpec> brokerListeners() {
        return brokerListeners;
    }

    /** The broker listeners as published in metadata; a wildcard host becomes this machine's name. */
    public List<ListenerSpec> advertisedListeners() {
        return advertisedListeners;
    }

    public String controllerListenerName() {
        return controllerListenerNames.get(0);
    }

    /**
     * How this node's metadata quorum member reaches the others: TLS when the controller listener is SSL (read from
     * its keystore and truststore on each call, so that only a starting server needs them), plaintext otherwise.
     */
    public QuorumTransport quorumTransport() {
        return protocols.get(controllerListenerName()) == SecurityProtocol.SSL
                ? ControllerTls.transport(SslSettings.forListener(originals, controllerListenerName()))
                : QuorumTransport.plaintext();
    }

    public String interBrokerListenerName() {
        return interBrokerListenerName;
    }

    /** The TLS settings of each SSL and SASL_SSL broker listener, by listener name; Kafka's ssl.* keys and their overrides. */
    public Map<String, SslSettings> sslSettings() {
        return sslSettings;
    }

    /** The SASL settings of each SASL_PLAINTEXT and SASL_SSL broker listener, by listener name. */
    public Map<String, SaslSettings> saslSettings() {
        return saslSettings;
    }

    /** How this broker logs in to the others; null when the inter-broker listener has no SASL. */
    public InterBrokerSasl interBrokerSasl() {
        return interBrokerSasl;
    }

    /**
     * The voters of controller.quorum.voters, or this node alone when it is a controller whose only bootstrap server
     * is itself; empty when the bootstrap servers are to name them.
     */
    public Map<Integer, InetSocketAddress> controllerQuorumVoters() {
        return voters;
    }

    /**
     * schema.registry.listeners with the schema.registry.ssl.* and schema.registry.authentication.* settings: where
     * and how the built-in schema registry listens; no listener when it is off.
     */
    public HttpEndpoints schemaRegistryHttp() {
        return schemaRegistryHttp;
    }

    /** rest.proxy.listeners with the rest.proxy.ssl.* and rest.proxy.authentication.* settings; no listener: off. */
    public HttpEndpoints restProxyHttp() {
        return restProxyHttp;
    }

    /** console.listeners with the console.ssl.* settings; no listener when the console is off. */
    public HttpEndpoints consoleHttp() {
        return consoleHttp;
    }

    /** console.read.only: whether the web console refuses every change. */
    public boolean consoleReadOnly() {
        return (Boolean) values.get(CONSOLE_READ_ONLY);
    }

    /** console.basic.auth.passwords: the web console's users; null for no login. */
    public BasicAuth consoleBasicAuth() {
        return consoleBasicAuth;
    }

    /** admin.listeners with the admin.ssl.* settings: where the admin HTTP endpoint listens; none when it is off. */
    public HttpEndpoints adminHttp() {
        return adminHttp;
    }

    /**
     * An HTTP service's endpoints from its listeners key (e.g. schema.registry.listeners) and the ssl.* and, with a
     * realm, authentication.* keys under the same prefix.
     */
    private HttpEndpoints http(String listenersKey, String realm) {
        String prefix = listenersKey.substring(0, listenersKey.length() - "listeners".length());
        Map<String, String> settings = new LinkedHashMap<>(originals);
        settings.put(listenersKey, String.join(",", list(listenersKey)));
        return httpSetting(() -> HttpEndpoints.parse(prefix, settings, "", realm));
    }

    private static <T> T httpSetting(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** controller.quorum.voters is set: a static quorum. */
    public boolean hasStaticVoters() {
        return !list(CONTROLLER_QUORUM_VOTERS).isEmpty();
    }

    /** controller.quorum.bootstrap.servers. */
    public List<InetSocketAddress> controllerQuorumBootstrapServers() {
        List<String> bootstrap = list(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS);
        return bootstrap.stream().map(b -> ListenerParser.hostPort(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS, bootstrap, b))
                .toList();
    }

    /**
     * Where this node receives the metadata log while it is not one of {@code voters} (a non-voting member, to which
     * the active controller sends every entry): a controller at its controller listener, where AddRaftVoter will
     * reach it as a voter; a broker-only node at the advertised host of its inter-broker listener, with a port
     * picked at start-up (port 0); null for a voter. Kafka has no key for it: its observers fetch the log instead.
     */
    public InetSocketAddress metadataFollowerAddress(Map<Integer, InetSocketAddress> voters) {
        if (voters.containsKey(nodeId())) {
            return null;
        }
        if (processRoles.contains("controller")) {
            return controllerEndpoint();
        }
        ListenerSpec interBroker = advertisedListeners.stream()
                .filter(l -> l.name().equals(interBrokerListenerName)).findFirst().orElseThrow();
        return new InetSocketAddress(interBroker.host(), 0);
    }

    /** This node's controller listener, on localhost when it binds every interface. */
    public InetSocketAddress controllerEndpoint() {
        ListenerSpec controller = listeners.stream()
                .filter(l -> l.name().equals(controllerListenerName())).findFirst().orElseThrow();
        String host = controller.host().isEmpty() || controller.host().equals("0.0.0.0") ? "localhost" : controller.host();
        return new InetSocketAddress(host, controller.port());
    }

    public List<Path> logDirs() {
        return logDirs;
    }

    public Path metadataLogDir() {
        String dir = (String) values.get(METADATA_LOG_DIR);
        return dir == null ? logDirs.get(0) : Path.of(dir);
    }

    public int numPartitions() {
        return (Integer) values.get(NUM_PARTITIONS);
    }

    public short defaultReplicationFactor() {
        return (Short) values.get(DEFAULT_REPLICATION_FACTOR);
    }

    /** The static {@code min.insync.replicas}: the default of topics without their own. */
    public int minInsyncReplicas() {
        return (Integer) values.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
    }

    public boolean autoCreateTopicsEnable() {
        return (Boolean) values.get(AUTO_CREATE_TOPICS_ENABLE);
    }

    public boolean deleteTopicEnable() {
        return (Boolean) values.get(DELETE_TOPIC_ENABLE);
    }

    public int messageMaxBytes() {
        return (Integer) values.get(MESSAGE_MAX_BYTES);
    }

    public NetworkConfig networkConfig() {
        return new NetworkConfig(
                (Integer) values.get(SOCKET_REQUEST_MAX_BYTES),
                (Integer) values.get(NUM_NETWORK_THREADS),
                (Integer) values.get(SOCKET_SEND_BUFFER_BYTES),
                (Integer) values.get(SOCKET_RECEIVE_BUFFER_BYTES),
                (Long) values.get(CONNECTIONS_MAX_IDLE_MS),
                (Integer) values.get(QUEUED_MAX_REQUESTS),
                queuedMaxRequestBytes,
                connectionLimits);
    }

    public long logFlushSchedulerIntervalMs() {
        return (Long) values.get(LOG_FLUSH_SCHEDULER_INTERVAL_MS);
    }

    /**
     * The log manager's background work: flush checks, retention checks, the log cleaner and producer id
     * expiration.
     */
    public LogManagerConfig logManagerConfig() {
        return new LogManagerConfig(logFlushSchedulerIntervalMs(), (Long) values.get(LOG_RETENTION_CHECK_INTERVAL_MS),
                (Boolean) values.get("log.cleaner.enable"), (Integer) values.get("log.cleaner.threads"),
                (Long) values.get("log.cleaner.dedupe.buffer.size"), (Long) values.get("log.cleaner.backoff.ms"),
                (Integer) values.get("producer.id.expiration.ms"), PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS);
    }

    /** The follower fetchers' and the ISR's settings. */
    public ReplicationConfig replicationConfig() {
        return new ReplicationConfig((Integer) values.get("num.replica.fetchers"),
                (Integer) values.get("replica.fetch.wait.max.ms"), (Integer) values.get("replica.fetch.min.bytes"),
                (Integer) values.get("replica.fetch.max.bytes"), (Integer) values.get("replica.fetch.response.max.bytes"),
                (Integer) values.get("replica.fetch.backoff.ms"), (Long) values.get("replica.lag.time.max.ms"),
                (Integer) values.get("replica.socket.timeout.ms"));
    }

    /**
     * replica.selector.class made and configured (any {@link ReplicaSelector} on the class path, as in Kafka), or
     * null when consumers fetch from leaders.
     */
    public ReplicaSelector replicaSelector() {
        String className = (String) values.get(REPLICA_SELECTOR_CLASS);
        if (className == null || className.isBlank()) {
            return null;
        }
        ReplicaSelector selector;
        try {
            selector = Utils.newInstance(className.trim(), ReplicaSelector.class);
        } catch (ClassNotFoundException | KafkaException e) {
            throw new ConfigException(REPLICA_SELECTOR_CLASS, className, "not a ReplicaSelector class on the class"
                    + " path, such as org.apache.kafka.common.replica.RackAwareReplicaSelector");
        }
        selector.configure(originals);
        return selector;
    }

    /** broker.rack, or null. */
    public String rack() {
        return (String) values.get(BROKER_RACK);
    }

    public int brokerHeartbeatIntervalMs() {
        return (Integer) values.get(BROKER_HEARTBEAT_INTERVAL_MS);
    }

    public int brokerSessionTimeoutMs() {
        return (Integer) values.get(BROKER_SESSION_TIMEOUT_MS);
    }

    /** quota.window.num and quota.window.size.seconds. */
    public QuotaWindow quotaWindow() {
        return new QuotaWindow((Integer) values.get(QUOTA_WINDOW_NUM),
                TimeUnit.SECONDS.toMillis((Integer) values.get(QUOTA_WINDOW_SIZE_SECONDS)));
    }

    public boolean autoLeaderRebalanceEnable() {
        return (Boolean) values.get(AUTO_LEADER_REBALANCE_ENABLE);
    }

    public Duration leaderImbalanceCheckInterval() {
        return Duration.ofSeconds((Long) values.get(LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS));
    }

    /**
     * Whether the key's value is a secret, never shown: Kafka's PASSWORD-type keys (passwords, JAAS configurations
     * with their credentials, PEM keys and certificates given inline), with any listener prefix.
     */
    public static boolean isSensitive(String key) {
        return key.contains("password") || key.endsWith("sasl.jaas.config") || key.endsWith("ssl.keystore.key")
                || key.endsWith("ssl.keystore.certificate.chain") || key.endsWith("ssl.truststore.certificates");
    }

    /** Every broker key Runnel understands (for DescribeConfigs). */
    public Set<String> names() {
        return DEF.names();
    }

    public Map<String, String> originals() {
        return originals;
    }

    /** The effective value of a key as a string, its default if unset; unknown keys give the supplied value. */
    public String get(String key) {
        ConfigDef.ConfigKey def = DEF.configKeys().get(key);
        if (def == null) {
            return originals.get(key);
        }
        return ConfigDef.convertToString(values.get(key), def.type);
    }

    /**
     * Kafka in KRaft mode takes broker.id for node.id and node.id for broker.id when only one is given
     * (KafkaConfig.populateSynonyms).
     */
    private static Map<String, String> withIdSynonyms(Map<String, String> props) {
        Map<String, String> result = new LinkedHashMap<>(props);
        if (props.containsKey(BROKER_ID) && !props.containsKey(NODE_ID)) {
            result.put(NODE_ID, props.get(BROKER_ID));
        } else if (props.containsKey(NODE_ID) && !props.containsKey(BROKER_ID)) {
            result.put(BROKER_ID, props.get(NODE_ID));
        }
        return result;
    }

    private void checkBrokerIdIsNodeId() {
        int brokerId = (Integer) values.get(BROKER_ID);
        if (brokerId != nodeId()) {
            throw new ConfigException(BROKER_ID, brokerId, "must equal " + NODE_ID + " (" + nodeId()
                    + ") when both are set: Kafka in KRaft mode takes broker.id as another name for node.id");
        }
    }

    /**
     * A key Runnel does not define is either one Kafka knows, which Runnel accepts without acting on it yet, or
     * most likely a mistake; for that one the nearest key Runnel or Kafka knows is suggested.
     */
    private static void warnAboutKeysNotUsed(Set<String> keys) {
        for (String key : keys) {
            if (DEF.names().contains(key) || NetworkLimits.isListenerMaxConnectionsKey(key) || SslSettings.isSslKey(key)
                    || SaslSettings.isSaslKey(key) || isHttpServiceKey(key)) {
                continue;
            }
            if (KafkaBrokerKeys.isKnown(key)) {
                LOG.warn("Configuration known to Kafka, not used by Runnel: {}", key);
                continue;
            }
            Optional<String> nearest = KafkaBrokerKeys.nearest(key, knownKeys());
            if (nearest.isPresent()) {
                LOG.warn("Unknown configuration '{}' was supplied; did you mean '{}'?", key, nearest.get());
            } else {
                LOG.warn("Unknown configuration '{}' was supplied", key);
            }
        }
    }

    private static boolean isHttpServiceKey(String key) {
        return HTTP_SERVICE_PREFIXES.stream().anyMatch(prefix -> HttpTls.isKey(prefix, key))
                || HTTP_SERVICE_PREFIXES.subList(0, 2).stream().anyMatch(prefix -> BasicAuth.isKey(prefix, key));
    }

    private static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>(DEF.names());
        KafkaBrokerKeys.names().forEach(keys::add);
        return keys;
    }

    @SuppressWarnings("unchecked")
    private List<String> list(String key) {
        List<String> value = (List<String>) values.get(key);
        return value == null ? List.of() : value;
    }

    private List<String> parseControllerListenerNames(Map<String, SecurityProtocol> protocols) {
        List<String> names = list(CONTROLLER_LISTENER_NAMES).stream()
                .map(n -> n.trim().toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableList());
        if (names.isEmpty()) {
            throw new ConfigException(CONTROLLER_LISTENER_NAMES, null, "must contain at least one listener name");
        }
        for (String name : names) {
            if (!protocols.containsKey(name)) {
                throw new ConfigException(CONTROLLER_LISTENER_NAMES, get(CONTROLLER_LISTENER_NAMES),
                        "listener name " + name + " is not defined in " + LISTENER_SECURITY_PROTOCOL_MAP);
            }
        }
        return names;
    }

    private void checkListenersFitRoles() {
        boolean broker = processRoles.contains("broker");
        boolean controller = processRoles.contains("controller");
        if (controller && listeners.stream().noneMatch(l -> l.name().equals(controllerListenerName()))) {
            throw new ConfigException(LISTENERS, get(LISTENERS), "a node with the controller role must listen on its "
                    + "controller listener " + controllerListenerName() + " (the first of " + CONTROLLER_LISTENER_NAMES + ")");
        }
        if (controller && !broker && !brokerListeners.isEmpty()) {
            throw new ConfigException(LISTENERS, get(LISTENERS), "with process.roles=controller every listener must be "
                    + "named in " + CONTROLLER_LISTENER_NAMES + " (" + get(CONTROLLER_LISTENER_NAMES) + ")");
        }
        if (broker && brokerListeners.isEmpty()) {
            throw new ConfigException(LISTENERS, get(LISTENERS), "the broker role needs a listener that is not in "
                    + CONTROLLER_LISTENER_NAMES + " (" + get(CONTROLLER_LISTENER_NAMES) + ")");
        }
        if (broker && !controller && brokerListeners.size() != listeners.size()) {
            throw new ConfigException(LISTENERS, get(LISTENERS), "with process.roles=broker no listener may be a "
                    + "controller listener from " + CONTROLLER_LISTENER_NAMES);
        }
    }

    private List<ListenerSpec> parseAdvertisedListeners(Map<String, SecurityProtocol> protocols) {
        if (values.get(ADVERTISED_LISTENERS) == null) {
            List<ListenerSpec> result = new ArrayList<>(brokerListeners.size());
            for (ListenerSpec l : brokerListeners) {
                boolean wildcard = l.host().isEmpty() || l.host().equals("0.0.0.0");
                result.add(wildcard ? new ListenerSpec(l.name(), canonicalHostName(), l.port(), l.protocol()) : l);
            }
            return List.copyOf(result);
        }
        List<ListenerSpec> result = new ArrayList<>();
        for (ListenerSpec l : ListenerParser.listeners(ADVERTISED_LISTENERS, list(ADVERTISED_LISTENERS), protocols)) {
            if (controllerListenerNames.contains(l.name())) {
                continue;
            }
            if (brokerListeners.stream().noneMatch(b -> b.name().equals(l.name()))) {
                throw new ConfigException(ADVERTISED_LISTENERS, get(ADVERTISED_LISTENERS), "listener name " + l.name()
                        + " must also be a broker listener in " + LISTENERS);
            }
            if (l.host().equals("0.0.0.0")) {
                throw new ConfigException(ADVERTISED_LISTENERS, get(ADVERTISED_LISTENERS),
                        "0.0.0.0 is not routable and cannot be advertised");
            }
            result.add(l.host().isEmpty() ? new ListenerSpec(l.name(), canonicalHostName(), l.port(), l.protocol()) : l);
        }
        return List.copyOf(result);
    }

    private String resolveInterBrokerListenerName() {
        String explicit = (String) values.get(INTER_BROKER_LISTENER_NAME);
        if (explicit != null && originals.containsKey(SECURITY_INTER_BROKER_PROTOCOL)) {
            throw new ConfigException(INTER_BROKER_LISTENER_NAME, explicit, "only one of "
                    + INTER_BROKER_LISTENER_NAME + " and " + SECURITY_INTER_BROKER_PROTOCOL + " may be set");
        }
        String name = explicit != null ? explicit.trim().toUpperCase(Locale.ROOT)
                : (String) values.get(SECURITY_INTER_BROKER_PROTOCOL);
        if (processRoles.contains("broker") && advertisedListeners.stream().noneMatch(l -> l.name().equals(name))) {
            throw new ConfigException(INTER_BROKER_LISTENER_NAME, name, "must be the name of an advertised broker "
                    + "listener, one of " + advertisedListeners.stream().map(ListenerSpec::name).collect(Collectors.toList()));
        }
        return name;
    }

    private Map<Integer, InetSocketAddress> resolveVoters() {
        List<String> voterList = list(CONTROLLER_QUORUM_VOTERS);
        if (!voterList.isEmpty()) {
            Map<Integer, InetSocketAddress> parsed = ListenerParser.voters(CONTROLLER_QUORUM_VOTERS, voterList);
            if (processRoles.contains("controller") && !parsed.containsKey(nodeId())) {
                throw new ConfigException(CONTROLLER_QUORUM_VOTERS, get(CONTROLLER_QUORUM_VOTERS),
                        "a controller's node.id " + nodeId() + " must be one of the voters");
            }
            if (!processRoles.contains("controller") && parsed.containsKey(nodeId())) {
                throw new ConfigException(CONTROLLER_QUORUM_VOTERS, get(CONTROLLER_QUORUM_VOTERS),
                        "node.id " + nodeId() + " has process.roles=broker, so it may not be one of the voters");
            }
            return parsed;
        }
        List<String> bootstrap = list(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS);
        ListenerParser.checkHostPorts(CONTROLLER_QUORUM_BOOTSTRAP_SERVERS, bootstrap);
        if (bootstrap.isEmpty()) {
            throw new ConfigException(CONTROLLER_QUORUM_VOTERS, get(CONTROLLER_QUORUM_VOTERS), "must list the "
                    + "controllers as id@host:port, or " + CONTROLLER_QUORUM_BOOTSTRAP_SERVERS + " name some");
        }
        if (processRoles.contains("controller") && bootstrap.size() == 1
                && isThisController(controllerQuorumBootstrapServers().get(0))) {
            // A single controller naming only itself: the first and only voter.
            return Map.of(nodeId(), controllerEndpoint());
        }
        // The node asks the bootstrap servers for the voters at start-up; a controller that is not one of them
        // follows the log until AddRaftVoter makes it one.
        return Map.of();
    }

    /** The bootstrap server is this node's controller listener: its port, on an address of this machine. */
    private boolean isThisController(InetSocketAddress bootstrap) {
        InetSocketAddress own = controllerEndpoint();
        if (bootstrap.getPort() != own.getPort()) {
            return false;
        }
        InetAddress address = bootstrap.getAddress();
        try {
            return bootstrap.equals(own) || address != null && (address.isLoopbackAddress()
                    || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null);
        } catch (SocketException e) {
            return false;
        }
    }

    private List<Path> resolveLogDirs() {
        List<String> dirs = list(LOG_DIRS);
        if (dirs.isEmpty()) {
            return List.of(Path.of((String) values.get(LOG_DIR)));
        }
        return dirs.stream().map(String::trim).map(Path::of).collect(Collectors.toUnmodifiableList());
    }

    private static String canonicalHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("Cannot resolve this machine's host name to advertise", e);
        }
    }

    private static Map<String, String> orderedMap(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
