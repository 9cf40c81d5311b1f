package io.runnel.broker.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.runnel.broker.network.ListenerSpec;
import io.runnel.broker.security.InterBrokerSasl;
import io.runnel.broker.security.SslSettings;
import io.runnel.storage.LogConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SslClientAuth;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerConfigTest {

    /** A minimal valid combined node, to which each test adds or changes keys. */
    private static Map<String, String> combined(String... keyValues) {
        Map<String, String> props = new HashMap<>(Map.of(
                "node.id", "1",
                "process.roles", "broker,controller",
                "listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.listener.names", "CONTROLLER",
                "controller.quorum.voters", "1@localhost:9093"));
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private static void assertRejected(Map<String, String> props, String key, String value, String rule) {
        ConfigException e = assertThrows(ConfigException.class, () -> BrokerConfig.parse(props));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @Test
    void embeddedDefaultsAreOneCombinedNodeOnLocalhost() {
        BrokerConfig c = BrokerConfig.embeddedDefaults();
        assertEquals(1, c.nodeId());
        assertEquals(Set.of("broker", "controller"), c.processRoles());
        assertEquals(List.of(new ListenerSpec("PLAINTEXT", "localhost", 9092, SecurityProtocol.PLAINTEXT),
                new ListenerSpec("CONTROLLER", "localhost", 9093, SecurityProtocol.PLAINTEXT)), c.listeners());
        assertEquals(List.of(new ListenerSpec("PLAINTEXT", "localhost", 9092, SecurityProtocol.PLAINTEXT)), c.brokerListeners());
        assertEquals(c.brokerListeners(), c.advertisedListeners());
        assertEquals("CONTROLLER", c.controllerListenerName());
        assertEquals("PLAINTEXT", c.interBrokerListenerName());
        assertEquals(Map.of(1, new InetSocketAddress("localhost", 9093)), c.controllerQuorumVoters());
        assertEquals(List.of(Path.of("./data")), c.logDirs());
        assertEquals(Path.of("./data"), c.metadataLogDir());
        assertEquals("1", c.get("offsets.topic.replication.factor"));
        assertEquals("1", c.get("transaction.state.log.min.isr"));
        assertEquals("0", c.get("group.initial.rebalance.delay.ms"));
    }

    @Test
    void kafkaDefaultsApplyToUnsetKeys() {
        BrokerConfig c = BrokerConfig.parse(combined());
        assertEquals(1, c.numPartitions());
        assertEquals((short) 1, c.defaultReplicationFactor());
        assertTrue(c.autoCreateTopicsEnable());
        assertEquals(1048588, c.messageMaxBytes());
        assertEquals(104857600, c.networkConfig().socketRequestMaxBytes());
        assertEquals(3, c.networkConfig().numNetworkThreads());
        assertEquals(600000L, c.networkConfig().connectionsMaxIdleMs());
        assertEquals("8", c.get("num.io.threads"));
        assertEquals("3", c.get("offsets.topic.replication.factor"));
        assertNull(c.rack());
        assertEquals(Long.MAX_VALUE, c.logFlushSchedulerIntervalMs());
        LogConfig log = logConfig(c);
        assertEquals(1024 * 1024 * 1024, log.segmentBytes());
        assertEquals(168 * 3_600_000L, log.segmentMs());
        assertEquals(0L, log.segmentJitterMs());
        assertEquals(168 * 3_600_000L, log.retentionMs());
        assertEquals(-1L, log.retentionBytes());
        assertEquals(TimestampType.CREATE_TIME, log.timestampType());
        assertEquals(60000L, log.fileDeleteDelayMs());
        assertEquals(Long.MAX_VALUE, log.flushMs());
        assertEquals(1048588, log.maxMessageBytes());
    }

    @Test
    void millisecondKeysWinOverMinutesAndHours() {
        LogConfig hours = logConfig(BrokerConfig.parse(combined("log.retention.hours", "2", "log.roll.hours", "3")));
        assertEquals(2 * 3_600_000L, hours.retentionMs());
        assertEquals(3 * 3_600_000L, hours.segmentMs());

        LogConfig minutes = logConfig(BrokerConfig.parse(combined("log.retention.hours", "2", "log.retention.minutes", "5")));
        assertEquals(5 * 60_000L, minutes.retentionMs());

        LogConfig ms = logConfig(BrokerConfig.parse(combined("log.retention.hours", "2", "log.retention.minutes", "5",
                "log.retention.ms", "1234", "log.roll.hours", "3", "log.roll.ms", "999",
                "log.roll.jitter.hours", "1", "log.roll.jitter.ms", "7")));
        assertEquals(1234L, ms.retentionMs());
        assertEquals(999L, ms.segmentMs());
        assertEquals(7L, ms.segmentJitterMs());
    }

    @Test
    void negativeRetentionMeansForever() {
        assertEquals(-1L, logConfig(BrokerConfig.parse(combined("log.retention.hours", "-1"))).retentionMs());
        assertEquals(-1L, logConfig(BrokerConfig.parse(combined("log.retention.ms", "-5"))).retentionMs());
    }

    @Test
    void logSettingsMapToTheTopicLevelConfig() {
        LogConfig log = logConfig(BrokerConfig.parse(combined("log.segment.bytes", "2048", "log.index.size.max.bytes", "4096",
                "log.index.interval.bytes", "100", "log.flush.interval.messages", "10", "log.flush.interval.ms", "50",
                "message.max.bytes", "5000", "log.message.timestamp.type", "LogAppendTime",
                "log.message.timestamp.before.max.ms", "11", "log.message.timestamp.after.max.ms", "12",
                "log.segment.delete.delay.ms", "13", "log.retention.bytes", "14")));
        assertEquals(new LogConfig(2048, 168 * 3_600_000L, 0, 4096, 100, 10, 50, 5000, TimestampType.LOG_APPEND_TIME,
                11, 12, 13, 168 * 3_600_000L, 14, false, true, 86_400_000L, 0, Long.MAX_VALUE, 0.5), log);
    }

    @Test
    void flushMsFallsBackToTheSchedulerInterval() {
        assertEquals(777L, logConfig(BrokerConfig.parse(combined("log.flush.scheduler.interval.ms", "777"))).flushMs());
    }

    @Test
    void validationErrorsNameKeyValueAndRule() {
        assertRejected(combined("node.id", "-1"), "node.id", "-1", "at least 0");
        assertRejected(combined("num.partitions", "0"), "num.partitions", "0", "at least 1");
        assertRejected(combined("default.replication.factor", "0"), "default.replication.factor", "0", "at least 1");
        assertRejected(combined("message.max.bytes", "-1"), "message.max.bytes", "-1", "at least 0");
        assertRejected(combined("log.segment.bytes", "13"), "log.segment.bytes", "13", "at least 14");
        assertRejected(combined("log.roll.ms", "0"), "log.roll.ms", "0", "at least 1");
        assertRejected(combined("num.network.threads", "abc"), "num.network.threads", "abc", "type INT");
        assertRejected(combined("process.roles", "broker,zookeeper"), "process.roles", "zookeeper", "broker");
        assertRejected(combined("log.message.timestamp.type", "Now"), "log.message.timestamp.type", "Now", "CreateTime");
        assertRejected(combined("auto.create.topics.enable", "maybe"), "auto.create.topics.enable", "maybe", "either true or false");
    }

    @Test
    void requiredKeysAreNamed() {
        Map<String, String> props = combined();
        props.remove("node.id");
        assertRejected(props, "node.id", "node.id", "no default value");
        Map<String, String> noRoles = combined();
        noRoles.remove("process.roles");
        assertRejected(noRoles, "process.roles", "process.roles", "no default value");
    }

    @Test
    void unknownKeysAreAWarningNotAnError() {
        List<String> warnings = warningsOf(combined("no.such.key", "x"));
        assertEquals("x", BrokerConfig.parse(combined("no.such.key", "x")).get("no.such.key"));
        assertEquals(List.of("Unknown configuration 'no.such.key' was supplied"), warnings);
    }

    @Test
    void aLikelyTypoNamesTheNearestKey() {
        assertEquals(List.of("Unknown configuration 'log.retention.hour' was supplied; did you mean 'log.retention.hours'?"),
                warningsOf(combined("log.retention.hour", "1")));
        assertEquals(List.of("Unknown configuration 'nmu.partitions' was supplied; did you mean 'num.partitions'?"),
                warningsOf(combined("nmu.partitions", "1")));
        assertEquals(List.of("Unknown configuration 'ssl.keystore.locaton' was supplied; did you mean 'ssl.keystore.location'?"),
                warningsOf(combined("ssl.keystore.locaton", "/x")));
    }

    @Test
    void theHttpServicesTakeTlsAndBasicAuthUnderTheirPrefixes() {
        assertTrue(warningsOf(combined("schema.registry.listeners", "http://localhost:8081",
                "schema.registry.ssl.keystore.location", "/x", "rest.proxy.authentication.method", "NONE",
                "console.ssl.client.authentication", "NONE")).isEmpty());
        assertEquals(1, warningsOf(combined("console.authentication.method", "BASIC")).size(),
                "the console's login is console.basic.auth.passwords");
        assertRejected(combined("rest.proxy.listeners", "http://localhost:8082,https://:8443",
                "rest.proxy.ssl.keystore.location", "/no/such/keystore.jks"), "rest.proxy.ssl.keystore.location",
                "/no/such/keystore.jks", "cannot be read as a JKS store");
        assertRejected(combined("schema.registry.listeners", "https://localhost:8081"),
                "schema.registry.ssl.keystore.location", "", "is required by an https:// listener");
        assertRejected(combined("schema.registry.listeners", "http://localhost:8081",
                "schema.registry.authentication.method", "BASIC"), "schema.registry.authentication.users.file", "",
                "is required by schema.registry.authentication.method=BASIC");
    }

    @Test
    void keysKafkaKnowsButRunnelDoesNotUseAreReportedAsSuch() {
        assertEquals(List.of("Configuration known to Kafka, not used by Runnel: background.threads",
                        "Configuration known to Kafka, not used by Runnel: listener.name.sasl_ssl.sasl.kerberos.service.name"),
                warningsOf(combined("background.threads", "4",
                        "listener.name.sasl_ssl.sasl.kerberos.service.name", "kafka",
                        "sasl.oauthbearer.jwks.endpoint.url", "https://idp/jwks")).stream().sorted().toList(),
                "OAUTHBEARER's keys are used");
        assertTrue(warningsOf(combined("num.partitions", "3", "broker.id", "1")).isEmpty());
    }

    @Test
    void everyKeyRunnelDefinesIsAKafkaBrokerKeyButItsHttpServicesListeners() {
        // Runnel's built-in HTTP services have listeners of their own, which Kafka has no key for (DESIGN.md).
        Set<String> runnelOnly = Set.of("admin.listeners", "schema.registry.listeners", "rest.proxy.listeners",
                "console.listeners", "console.read.only", "console.basic.auth.passwords");
        for (String key : BrokerConfigDef.DEF.names()) {
            if (!runnelOnly.contains(key)) {
                assertNotNull(KafkaBrokerKeys.updateMode(key), key);
            }
        }
        assertEquals("cluster-wide", KafkaBrokerKeys.updateMode("log.cleaner.threads"));
        assertEquals("per-broker", KafkaBrokerKeys.updateMode("ssl.keystore.location"));
        assertEquals("read-only", KafkaBrokerKeys.updateMode("log.dirs"));
    }

    /** The warnings BrokerConfig logs while parsing the properties. */
    private static List<String> warningsOf(Map<String, String> props) {
        Logger logger = (Logger) LoggerFactory.getLogger(BrokerConfig.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            BrokerConfig.parse(props);
            return appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void listenersParseNamesHostsAndPorts() {
        BrokerConfig c = BrokerConfig.parse(combined(
                "listeners", "PLAINTEXT://:9092,EXTERNAL://[::1]:9094,internal://0.0.0.0:9095,CONTROLLER://localhost:9093",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "advertised.listeners", "PLAINTEXT://broker1:9092,EXTERNAL://broker1:9094,INTERNAL://10.0.0.1:9095"));
        assertEquals(List.of(new ListenerSpec("PLAINTEXT", "", 9092, SecurityProtocol.PLAINTEXT),
                new ListenerSpec("EXTERNAL", "::1", 9094, SecurityProtocol.PLAINTEXT),
                new ListenerSpec("INTERNAL", "0.0.0.0", 9095, SecurityProtocol.PLAINTEXT)), c.brokerListeners());
        assertEquals(4, c.listeners().size());
        assertEquals(new ListenerSpec("INTERNAL", "10.0.0.1", 9095, SecurityProtocol.PLAINTEXT),
                c.advertisedListeners().get(2));
    }

    @Test
    void listenerProtocolsComeFromTheSecurityProtocolMap() {
        Map<String, SecurityProtocol> protocols = ListenerParser.protocolMap("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,EXTERNAL:SSL,internal:sasl_plaintext");
        assertEquals(List.of(new ListenerSpec("EXTERNAL", "::1", 9094, SecurityProtocol.SSL),
                        new ListenerSpec("INTERNAL", "0.0.0.0", 9095, SecurityProtocol.SASL_PLAINTEXT)),
                ListenerParser.listeners("listeners", List.of("EXTERNAL://[::1]:9094", "internal://0.0.0.0:9095"), protocols));
    }

    @Test
    void anSslListenerHasItsSettingsWithItsOverridesFirstAndTheyWarnAboutNothing() {
        Map<String, String> props = combined(
                "listeners", "PLAINTEXT://localhost:9092,SSL://localhost:9094,CONTROLLER://localhost:9093",
                "ssl.keystore.location", "/etc/kafka/keystore.jks", "ssl.keystore.password", "secret",
                "listener.name.ssl.ssl.keystore.location", "/etc/kafka/ssl-listener.p12",
                "listener.name.ssl.ssl.client.auth", "required");
        BrokerConfig config = BrokerConfig.parse(props);
        assertEquals(Set.of("SSL"), config.sslSettings().keySet());
        SslSettings ssl = config.sslSettings().get("SSL");
        assertEquals("/etc/kafka/ssl-listener.p12", ssl.string("ssl.keystore.location"));
        assertEquals("listener.name.ssl.ssl.keystore.location", ssl.writtenKey("ssl.keystore.location"));
        assertEquals("secret", ssl.password("ssl.keystore.password").value());
        assertEquals(SslClientAuth.REQUIRED, ssl.clientAuth());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), ssl.list("ssl.enabled.protocols"), "Kafka's default");
        assertTrue(warningsOf(props).isEmpty());
    }

    @Test
    void aControllerListenerWithSaslRefusesToStartAndOneWithTlsNeedsAKeystore() {
        assertRejected(combined("process.roles", "controller", "listeners", "CONTROLLER://localhost:9093",
                        "listener.security.protocol.map", "CONTROLLER:SASL_PLAINTEXT"),
                "listeners", "CONTROLLER://localhost:9093", "which needs SASL on a controller listener "
                        + "(controller.listener.names): the metadata quorum's Raft transport has no SASL");
        BrokerConfig tls = BrokerConfig.parse(combined("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL"));
        assertFalse(BrokerConfig.parse(combined()).quorumTransport().isTls());
        ConfigException e = assertThrows(ConfigException.class, tls::quorumTransport);
        assertTrue(e.getMessage().contains("the controller listener CONTROLLER is SSL: every node of the metadata "
                + "quorum needs a keystore for it"), e.getMessage());
    }

    @Test
    void aSaslInterBrokerListenerLogsInWithItsMechanismsOwnUsernameAndPassword() {
        assertNull(BrokerConfig.parse(combined()).interBrokerSasl(), "no SASL between PLAINTEXT brokers");
        assertEquals(new InterBrokerSasl("PLAIN", "admin", "admin-secret"), BrokerConfig.parse(internalSasl(
                "sasl.enabled.mechanisms", "PLAIN", "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "sasl.jaas.config", PLAIN_JAAS)).interBrokerSasl());
        assertEquals(new InterBrokerSasl("SCRAM-SHA-512", "broker", "broker-secret"), BrokerConfig.parse(internalSasl(
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512", "sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512",
                "listener.name.internal.plain.sasl.jaas.config", PLAIN_JAAS,
                "listener.name.internal.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"broker\" "
                        + "password=\"broker-secret\";")).interBrokerSasl());

        assertRejected(internalSasl("sasl.enabled.mechanisms", "PLAIN", "sasl.jaas.config", PLAIN_JAAS),
                "sasl.mechanism.inter.broker.protocol", "GSSAPI", "the inter-broker listener INTERNAL enables [PLAIN];"
                        + " brokers log in to each other with one of them (GSSAPI, Kafka's default, needs Kerberos");
        assertRejected(internalSasl("sasl.enabled.mechanisms", "SCRAM-SHA-256",
                        "sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256"),
                "sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256", "the inter-broker listener INTERNAL needs the"
                        + " broker's own login for SCRAM-SHA-256: username=\"…\" password=\"…\" options in its JAAS"
                        + " configuration (listener.name.internal.scram-sha-256.sasl.jaas.config)");
    }

    private static Map<String, String> internalSasl(String... keyValues) {
        Map<String, String> props = combined(
                "listeners", "PLAINTEXT://localhost:9092,INTERNAL://localhost:9094,CONTROLLER://localhost:9093",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "INTERNAL");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private static final String PLAIN_JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

    private static Map<String, String> saslListeners(String... keyValues) {
        Map<String, String> props = combined(
                "listeners", "PLAINTEXT://localhost:9092,SASL_PLAINTEXT://localhost:9094,SASL_SSL://localhost:9095,"
                        + "CONTROLLER://localhost:9093",
                "ssl.keystore.location", "/etc/kafka/keystore.jks", "ssl.keystore.password", "secret");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    @Test
    void saslListenersTakeTheirMechanismsAndJaasConfigurationsWithTheListenersKeysFirst() {
        BrokerConfig config = BrokerConfig.parse(saslListeners("sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_JAAS.replace("alice", "bob"),
                "sasl.jaas.config", PLAIN_JAAS, "listener.name.sasl_ssl.sasl.server.max.receive.size", "1024"));
        assertEquals(Set.of("SASL_PLAINTEXT", "SASL_SSL"), config.saslSettings().keySet());
        assertEquals(Set.of("SASL_SSL"), config.sslSettings().keySet());
        assertEquals(List.of("PLAIN"), config.saslSettings().get("SASL_SSL").mechanisms());
        assertEquals("bob-secret", config.saslSettings().get("SASL_PLAINTEXT").jaasEntries("PLAIN").get(0)
                .getOptions().get("user_bob"));
        assertEquals("alice-secret", config.saslSettings().get("SASL_SSL").jaasEntries("PLAIN").get(0)
                .getOptions().get("user_alice"));
        assertEquals(1024, config.saslSettings().get("SASL_SSL").maxReceiveBytes());
        assertEquals(524288, config.saslSettings().get("SASL_PLAINTEXT").maxReceiveBytes());
    }

    @Test
    void oauthBearerKeysAreTakenPerListenerAndMechanismAsKafkaReadsThem() {
        BrokerConfig config = BrokerConfig.parse(saslListeners("sasl.enabled.mechanisms", "OAUTHBEARER",
                "sasl.oauthbearer.expected.issuer", "https://everyone",
                "listener.name.sasl_ssl.sasl.oauthbearer.expected.issuer", "https://listener",
                "listener.name.sasl_ssl.oauthbearer.sasl.oauthbearer.jwks.endpoint.url", "https://idp/keys",
                "listener.name.sasl_ssl.oauthbearer.sasl.oauthbearer.jwks.endpoint.refresh.ms", "60000"));
        Map<String, Object> secure = config.saslSettings().get("SASL_SSL").oauthBearerConfigs();
        assertEquals("https://listener", secure.get("sasl.oauthbearer.expected.issuer"));
        assertEquals("https://idp/keys", secure.get("sasl.oauthbearer.jwks.endpoint.url"));
        assertEquals(60_000L, secure.get("sasl.oauthbearer.jwks.endpoint.refresh.ms"), "typed as kafka-clients reads it");
        Map<String, Object> plain = config.saslSettings().get("SASL_PLAINTEXT").oauthBearerConfigs();
        assertEquals("https://everyone", plain.get("sasl.oauthbearer.expected.issuer"));
        assertNull(plain.get("sasl.oauthbearer.jwks.endpoint.url"));
    }

    @Test
    void badSaslSettingsRefuseToStartNamingTheKey() {
        assertRejected(saslListeners("sasl.jaas.config", PLAIN_JAAS), "sasl.enabled.mechanisms", "GSSAPI",
                "SASL mechanism GSSAPI is not supported by Runnel; the supported mechanisms are [PLAIN, SCRAM-SHA-256, "
                        + "SCRAM-SHA-512, OAUTHBEARER]");
        assertRejected(saslListeners("sasl.enabled.mechanisms", "PLAIN", "listener.name.sasl_ssl.sasl.enabled.mechanisms",
                        "DIGEST-MD5", "sasl.jaas.config", PLAIN_JAAS),
                "listener.name.sasl_ssl.sasl.enabled.mechanisms", "DIGEST-MD5", "is not supported by Runnel");
        assertRejected(saslListeners("sasl.enabled.mechanisms", "PLAIN"),
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", "null", "needs its JAAS configuration");
        assertRejected(saslListeners("sasl.enabled.mechanisms", "PLAIN", "sasl.jaas.config", "PlainLoginModule user_a=\"b\""),
                "sasl.jaas.config", "[hidden]", "not a JAAS configuration");
        assertRejected(saslListeners("sasl.enabled.mechanisms", "PLAIN", "plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                "plain.sasl.jaas.config", "[hidden]", "takes the login module "
                        + "org.apache.kafka.common.security.plain.PlainLoginModule");
        assertRejected(saslListeners("sasl.enabled.mechanisms", "PLAIN", "sasl.jaas.config", PLAIN_JAAS,
                "sasl.server.max.receive.size", "0"), "sasl.server.max.receive.size", "0", "must be a positive");
        assertRejected(saslListeners("sasl.enabled.mechanisms", "OAUTHBEARER",
                        "listener.name.sasl_ssl.oauthbearer.sasl.server.callback.handler.class", "com.example.Mine"),
                "listener.name.sasl_ssl.oauthbearer.sasl.server.callback.handler.class", "com.example.Mine",
                "Runnel validates OAUTHBEARER tokens with kafka-clients'");
    }

    @Test
    void kafkasStandardAuthorizerTurnsAclsOnAndAnyOtherClassRefusesToStart() {
        BrokerConfig config = BrokerConfig.parse(combined("authorizer.class.name",
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users", "User:admin; User:CN=broker,O=Example",
                "allow.everyone.if.no.acl.found", "true"));
        assertTrue(config.authorizerEnabled());
        assertEquals(Set.of("User:admin", "User:CN=broker,O=Example"), config.superUsers());
        assertTrue(config.allowEveryoneIfNoAclFound());
        BrokerConfig none = BrokerConfig.parse(combined("authorizer.class.name", ""));
        assertFalse(none.authorizerEnabled());
        assertFalse(none.allowEveryoneIfNoAclFound());
        assertRejected(combined("authorizer.class.name", "kafka.security.authorizer.AclAuthorizer"),
                "authorizer.class.name", "kafka.security.authorizer.AclAuthorizer",
                "Runnel's authorizer is Kafka's org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertRejected(combined("super.users", "admin"), "super.users", "admin",
                "principal admin is not of the form Type:name");
    }

    @Test
    void brokerIdIsAnotherNameForNodeId() {
        Map<String, String> brokerIdOnly = combined("broker.id", "1");
        brokerIdOnly.remove("node.id");
        assertEquals(1, BrokerConfig.parse(brokerIdOnly).nodeId());
        assertEquals("1", BrokerConfig.parse(brokerIdOnly).get("node.id"));
        assertEquals("1", BrokerConfig.parse(combined()).get("broker.id"));
        assertEquals(1, BrokerConfig.parse(combined("broker.id", "1")).nodeId());
        assertRejected(combined("broker.id", "2"), "broker.id", "2", "must equal node.id (1)");
    }

    @Test
    void wildcardListenersAdvertiseTheHostName() {
        BrokerConfig c = BrokerConfig.parse(combined("listeners", "PLAINTEXT://:9092,CONTROLLER://localhost:9093"));
        ListenerSpec advertised = c.advertisedListeners().get(0);
        assertEquals(9092, advertised.port());
        assertTrue(!advertised.host().isEmpty(), advertised.toString());
    }

    @Test
    void listenerRulesAreEnforced() {
        assertRejected(combined("listeners", "PLAINTEXT:/localhost:9092,CONTROLLER://localhost:9093"),
                "listeners", "PLAINTEXT:/localhost:9092", "NAME://host:port");
        assertRejected(combined("listeners", "PLAINTEXT://localhost:99999,CONTROLLER://localhost:9093"),
                "listeners", "99999", "between 0 and 65535");
        assertRejected(combined("listeners", "FOO://localhost:9092,CONTROLLER://localhost:9093"),
                "listeners", "FOO://localhost:9092", "listener.security.protocol.map");
        assertRejected(combined("listeners", "PLAINTEXT://localhost:9092"),
                "listeners", "PLAINTEXT://localhost:9092", "controller listener CONTROLLER");
        assertRejected(combined("listeners", "CONTROLLER://localhost:9093"),
                "listeners", "CONTROLLER://localhost:9093", "needs a listener that is not in controller.listener.names");
        assertRejected(combined("process.roles", "controller"),
                "listeners", "PLAINTEXT://localhost:9092", "every listener must be named in controller.listener.names");
        assertRejected(combined("process.roles", "broker", "controller.quorum.voters", "2@localhost:9093"),
                "listeners", "CONTROLLER://localhost:9093", "no listener may be a controller listener");
        Map<String, String> noControllerNames = combined();
        noControllerNames.remove("controller.listener.names");
        assertRejected(noControllerNames, "controller.listener.names", "null", "at least one listener name");
        assertRejected(combined("advertised.listeners", "OTHER://h:1", "listener.security.protocol.map",
                "OTHER:PLAINTEXT,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"), "advertised.listeners", "OTHER://h:1", "must also be a broker listener");
        assertRejected(combined("inter.broker.listener.name", "SSL"), "inter.broker.listener.name", "SSL",
                "must be the name of an advertised broker listener");
    }

    @Test
    void roleSpecificNodesParse() {
        BrokerConfig controller = BrokerConfig.parse(combined("process.roles", "controller",
                "listeners", "CONTROLLER://localhost:9093"));
        assertTrue(controller.brokerListeners().isEmpty());
        BrokerConfig broker = BrokerConfig.parse(combined("node.id", "2", "process.roles", "broker",
                "listeners", "PLAINTEXT://localhost:9092"));
        assertEquals(1, broker.listeners().size());
        assertEquals(Map.of(1, new InetSocketAddress("localhost", 9093)), broker.controllerQuorumVoters());
        assertEquals(null, controller.metadataFollowerAddress(controller.controllerQuorumVoters()),
                "a voter receives the log as a voter");
        assertEquals(new InetSocketAddress("localhost", 0), broker.metadataFollowerAddress(broker.controllerQuorumVoters()),
                "the inter-broker listener's host, a port picked at start-up");
        assertEquals(new InetSocketAddress("localhost", 9093), controller.metadataFollowerAddress(Map.of(
                2, new InetSocketAddress("localhost", 9095))), "a controller that does not vote yet: its listener");
        assertRejected(combined("process.roles", "broker", "listeners", "PLAINTEXT://localhost:9092"),
                "controller.quorum.voters", "1@localhost:9093", "node.id 1 has process.roles=broker");
    }

    @Test
    void votersParse() {
        BrokerConfig c = BrokerConfig.parse(combined("controller.quorum.voters", "1@localhost:9093,2@host2:9093,3@[::1]:19093"));
        assertEquals(Map.of(1, new InetSocketAddress("localhost", 9093), 2, new InetSocketAddress("host2", 9093),
                3, new InetSocketAddress("::1", 19093)), c.controllerQuorumVoters());
        assertRejected(combined("controller.quorum.voters", "1@localhost"), "controller.quorum.voters", "1@localhost",
                "id@host:port");
        assertRejected(combined("controller.quorum.voters", "2@localhost:9093"), "controller.quorum.voters",
                "2@localhost:9093", "must be one of the voters");
    }

    @Test
    void aControllerWhoseOnlyBootstrapServerIsItselfIsTheOnlyVoter() {
        Map<String, String> props = combined("controller.quorum.bootstrap.servers", "localhost:9093");
        props.remove("controller.quorum.voters");
        assertEquals(Map.of(1, new InetSocketAddress("localhost", 9093)), BrokerConfig.parse(props).controllerQuorumVoters());
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:9093");
        assertEquals(Map.of(1, new InetSocketAddress("localhost", 9093)), BrokerConfig.parse(props).controllerQuorumVoters(),
                "another name of this machine");
        props.put("controller.quorum.bootstrap.servers", "localhost:9095");
        assertEquals(Map.of(), BrokerConfig.parse(props).controllerQuorumVoters(),
                "a controller joining a running quorum asks it for the voters");
        Map<String, String> none = combined();
        none.remove("controller.quorum.voters");
        assertThrows(ConfigException.class, () -> BrokerConfig.parse(none));
    }

    @Test
    void logDirsWinOverLogDirAndDefaultTheMetadataDir() {
        BrokerConfig one = BrokerConfig.parse(combined("log.dir", "/tmp/a"));
        assertEquals(List.of(Path.of("/tmp/a")), one.logDirs());
        BrokerConfig many = BrokerConfig.parse(combined("log.dir", "/tmp/a", "log.dirs", "/tmp/b,/tmp/c"));
        assertEquals(List.of(Path.of("/tmp/b"), Path.of("/tmp/c")), many.logDirs());
        assertEquals(Path.of("/tmp/b"), many.metadataLogDir());
        assertEquals(Path.of("/tmp/m"), BrokerConfig.parse(combined("metadata.log.dir", "/tmp/m")).metadataLogDir());
    }

    @Test
    void getGivesEffectiveValuesAsStrings() {
        BrokerConfig c = BrokerConfig.parse(combined("num.partitions", "3"));
        assertEquals("3", c.get("num.partitions"));
        assertEquals("true", c.get("auto.create.topics.enable"));
        assertEquals("broker,controller", c.get("process.roles"));
        assertNull(c.get("broker.rack"));
        assertEquals("3", c.originals().get("num.partitions"));
    }

    @Test
    void loadReadsTheFileThenAppliesOverrides(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "# comment\nnode.id=4\nnum.partitions = 2\n");
        Map<String, String> props = BrokerConfig.load(file, List.of("num.partitions=5", "log.dirs=/x=y"));
        assertEquals(Map.of("node.id", "4", "num.partitions", "5", "log.dirs", "/x=y"), props);
        assertThrows(ConfigException.class, () -> BrokerConfig.load(file, List.of("novalue")));
        Map<String, String> embedded = BrokerConfig.load(null, List.of("node.id=7"));
        assertEquals("7", embedded.get("node.id"));
        assertEquals("broker,controller", embedded.get("process.roles"));
    }

    @Test
    void theSampleServerPropertiesEqualTheEmbeddedDefaults() throws Exception {
        Map<String, String> sample = BrokerConfig.load(Path.of("../config/server.properties"), List.of());
        assertTrue(BrokerConfigDef.DEF.names().containsAll(sample.keySet()), "every key of the sample is known");
        BrokerConfig fromFile = BrokerConfig.parse(sample);
        BrokerConfig embedded = BrokerConfig.embeddedDefaults();
        for (String key : BrokerConfigDef.DEF.names()) {
            assertEquals(embedded.get(key), fromFile.get(key), key);
        }
    }

    @Test
    void theSampleClusterFilesDescribeThreeVotersAndTwoBrokerOnlyNodesOnDistinctPorts() throws Exception {
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (int node = 1; node <= 3; node++) {
            Map<String, String> file = BrokerConfig.load(Path.of("../config/cluster/node-" + node + ".properties"),
                    List.of());
            assertTrue(BrokerConfigDef.DEF.names().containsAll(file.keySet()), "every key of node " + node + " is known");
            BrokerConfig c = BrokerConfig.parse(file);
            assertEquals(node, c.nodeId());
            assertEquals(java.util.Set.of(1, 2, 3), c.controllerQuorumVoters().keySet());
            assertEquals(c.controllerQuorumVoters().get(node).getPort(),
                    c.listeners().stream().filter(l -> l.name().equals("CONTROLLER")).findFirst().orElseThrow().port());
            c.listeners().forEach(l -> ports.add(l.port()));
        }
        assertEquals(6, ports.size());
        for (int node = 4; node <= 5; node++) {
            Map<String, String> file = BrokerConfig.load(Path.of("../config/cluster/node-" + node + ".properties"),
                    List.of());
            assertTrue(BrokerConfigDef.DEF.names().containsAll(file.keySet()), "every key of node " + node + " is known");
            BrokerConfig c = BrokerConfig.parse(file);
            assertEquals(java.util.Set.of("broker"), c.processRoles());
            assertEquals(java.util.Set.of(1, 2, 3), c.controllerQuorumVoters().keySet());
            for (ListenerSpec l : c.listeners()) {
                assertTrue(ports.add(l.port()), "port " + l.port() + " of node " + node);
            }
        }
    }

    /** What a topic without overrides gets from this broker configuration. */
    private static LogConfig logConfig(BrokerConfig c) {
        return new TopicConfigResolver(c.originals()).logConfig(Map.of());
    }
}
