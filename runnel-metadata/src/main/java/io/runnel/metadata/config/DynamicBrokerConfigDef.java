package io.runnel.metadata.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * The broker configs that may change at run time, per broker or cluster-wide, as Kafka 4.4 marks them dynamic where
 * Runnel has the feature: the main broker synonym of each topic config (log.retention.ms, log.segment.bytes,
 * message.max.bytes, log.cleaner.delete.retention.ms...) with that topic config's type and rule, the log cleaner's
 * own settings, the thread counts {@code num.io.threads} and {@code num.replica.fetchers}, and the connection limits
 * {@code max.connections}, {@code max.connections.per.ip} and {@code max.connections.per.ip.overrides}, the
 * replication throttles {@code leader.replication.throttled.rate} and {@code follower.replication.throttled.rate}, and a
 * listener's keystore and truststore files ({@code listener.name.<listener>.ssl.keystore.location} and the like), which
 * Kafka lets change for certificate rotation. Unit variants such as log.retention.hours stay static, as in Kafka.
 */
public final class DynamicBrokerConfigDef {
    public static final String LOG_CLEANER_THREADS = "log.cleaner.threads";
    public static final String LOG_CLEANER_DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String LOG_CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String NUM_REPLICA_FETCHERS = "num.replica.fetchers";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = ConnectionOverrides.PER_IP_KEY;
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = ConnectionOverrides.KEY;
    public static final String LEADER_REPLICATION_THROTTLED_RATE = "leader.replication.throttled.rate";
    public static final String FOLLOWER_REPLICATION_THROTTLED_RATE = "follower.replication.throttled.rate";
    public static final String REPLICA_ALTER_LOG_DIRS_IO_MAX_BYTES_PER_SECOND =
            "replica.alter.log.dirs.io.max.bytes.per.second";

    /** The dynamic keys that are no topic config's synonym, with Kafka's types, defaults and validators. */
    public static final ConfigDef BROKER_KEYS = new ConfigDef()
            .define(LOG_CLEANER_THREADS, Type.INT, 1, Range.atLeast(0), MEDIUM,
                    "The number of background threads to use for log cleaning.")
            .define(LOG_CLEANER_DEDUPE_BUFFER_SIZE, Type.LONG, 128L * 1024 * 1024, MEDIUM,
                    "The total memory used for log deduplication across all cleaner threads.")
            .define("log.cleaner.io.buffer.size", Type.INT, 512 * 1024, Range.atLeast(0), MEDIUM,
                    "The total memory used for log cleaner I/O buffers across all cleaner threads.")
            .define("log.cleaner.io.buffer.load.factor", Type.DOUBLE, 0.9d, MEDIUM,
                    "Log cleaner dedupe buffer load factor: how full the dedupe buffer may become.")
            .define("log.cleaner.io.max.bytes.per.second", Type.DOUBLE, Double.MAX_VALUE, MEDIUM,
                    "The log cleaner's read and write I/O throttle.")
            .define(LOG_CLEANER_BACKOFF_MS, Type.LONG, 15000L, Range.atLeast(0), MEDIUM,
                    "The amount of time to sleep when there are no logs to clean.")
            .define(NUM_IO_THREADS, Type.INT, 8, Range.atLeast(1), HIGH,
                    "The number of threads that the server uses for processing requests.")
            .define(NUM_REPLICA_FETCHERS, Type.INT, 1, Range.atLeast(1), HIGH,
                    "Number of fetcher threads used to replicate records from each source broker.")
            .define(MAX_CONNECTIONS, Type.INT, Integer.MAX_VALUE, Range.atLeast(0), MEDIUM,
                    "Connections of the broker; listener.name.<listener>.max.connections sets a listener's own limit.")
            .define(MAX_CONNECTIONS_PER_IP, Type.INT, Integer.MAX_VALUE, Range.atLeast(0), MEDIUM,
                    "Connections from each IP address; 0 only with overrides.")
            .define(MAX_CONNECTIONS_PER_IP_OVERRIDES, Type.STRING, "",
                    (name, value) -> ConnectionOverrides.parse((String) value), MEDIUM,
                    "Per-address exceptions to max.connections.per.ip, as host:count,host:count.")
            .define(LEADER_REPLICATION_THROTTLED_RATE, Type.LONG, Long.MAX_VALUE, Range.atLeast(0), MEDIUM,
                    "The replication rate, in bytes per second, at which this broker as leader serves the replicas of "
                    + "leader.replication.throttled.replicas.")
            .define(FOLLOWER_REPLICATION_THROTTLED_RATE, Type.LONG, Long.MAX_VALUE, Range.atLeast(0), MEDIUM,
                    "The replication rate, in bytes per second, at which this broker as follower fetches the replicas "
                    + "of follower.replication.throttled.replicas.")
            .define(REPLICA_ALTER_LOG_DIRS_IO_MAX_BYTES_PER_SECOND, Type.LONG, Long.MAX_VALUE, Range.atLeast(0),
                    MEDIUM, "The rate, in bytes per second, at which this broker copies replicas moving between its "
                    + "log directories.");

    /** The store keys a listener's {@code listener.name.<listener>.} prefix may carry at run time. */
    private static final Set<String> LISTENER_STORE_KEYS = Set.of("ssl.keystore.type", "ssl.keystore.location",
            "ssl.keystore.password", "ssl.key.password", "ssl.truststore.type", "ssl.truststore.location",
            "ssl.truststore.password");
    private static final String LISTENER_PREFIX = "listener.name.";

    /** Thread counts that Kafka lets change by at most a factor of two at a time (DynamicThreadPool). */
    private static final Set<String> THREAD_POOL_SIZES = Set.of(NUM_IO_THREADS, NUM_REPLICA_FETCHERS);

    private static final Map<String, String> TOPIC_KEY_BY_BROKER_KEY = topicKeysByBrokerKey();

    private DynamicBrokerConfigDef() {
    }

    private static Map<String, String> topicKeysByBrokerKey() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String topicKey : TopicConfigDef.names()) {
            if (!TopicConfigDef.brokerSynonyms(topicKey).isEmpty()) {
                keys.put(TopicConfigDef.brokerSynonyms(topicKey).get(0), topicKey);
            }
        }
        return Collections.unmodifiableMap(keys);
    }

    public static boolean isDynamic(String brokerKey) {
        return TOPIC_KEY_BY_BROKER_KEY.containsKey(brokerKey) || BROKER_KEYS.configKeys().containsKey(brokerKey)
                || isListenerStoreKey(brokerKey);
    }

    /**
     * Whether the key is a listener's keystore or truststore setting, {@code listener.name.<listener>.ssl.*}: set per
     * broker only, as in Kafka (the stores are files of that broker).
     */
    public static boolean isListenerStoreKey(String brokerKey) {
        if (!brokerKey.startsWith(LISTENER_PREFIX)) {
            return false;
        }
        int ssl = brokerKey.indexOf(".ssl.", LISTENER_PREFIX.length());
        return ssl > LISTENER_PREFIX.length() && LISTENER_STORE_KEYS.contains(brokerKey.substring(ssl + 1));
    }

    /** The topic config whose cluster default the broker key sets; null for a key that is no topic synonym. */
    public static String topicKey(String brokerKey) {
        return TOPIC_KEY_BY_BROKER_KEY.get(brokerKey);
    }

    /** The key's type; null for a key that is not dynamic. */
    public static Type type(String brokerKey) {
        if (isListenerStoreKey(brokerKey)) {
            return brokerKey.endsWith("password") ? Type.PASSWORD : Type.STRING;
        }
        return describe(brokerKey, TopicConfigDef::type, key -> key.type);
    }

    /** Whether APPEND and SUBTRACT apply: the key holds a list. */
    public static boolean isList(String brokerKey) {
        return type(brokerKey) == Type.LIST;
    }

    /** Kafka's default of the key (a topic value for a topic synonym, a list comma-separated); null if not dynamic. */
    public static String defaultValue(String brokerKey) {
        return describe(brokerKey, TopicConfigDef::defaultValue,
                key -> ConfigDef.convertToString(key.defaultValue, key.type));
    }

    /** Kafka's description of the key; null if it has none. */
    public static String documentation(String brokerKey) {
        return describe(brokerKey, TopicConfigDef::documentation, key -> key.documentation);
    }

    /** What the topic config of a topic synonym, or else the broker definition, says of the key; null if neither. */
    private static <T> T describe(String brokerKey, Function<String, T> ofTopicKey,
                                  Function<ConfigDef.ConfigKey, T> ofBrokerKey) {
        String topicKey = TOPIC_KEY_BY_BROKER_KEY.get(brokerKey);
        if (topicKey != null) {
            return ofTopicKey.apply(topicKey);
        }
        ConfigDef.ConfigKey key = BROKER_KEYS.configKeys().get(brokerKey);
        return key == null ? null : ofBrokerKey.apply(key);
    }

    /**
     * The first problem of a dynamic broker config set, as Kafka reports it: a key that cannot change at run time
     * is an {@link InvalidRequestException}, a bad value an {@link InvalidConfigurationException}; empty if valid.
     */
    public static Optional<ApiException> validate(Map<String, String> configs) {
        for (String key : configs.keySet()) {
            if (!isDynamic(key)) {
                return Optional.of(new InvalidRequestException("Cannot update these configs dynamically: Set(" + key + ")"));
            }
        }
        for (Map.Entry<String, String> e : configs.entrySet()) {
            Optional<InvalidConfigurationException> bad = checkValue(e.getKey(), e.getValue());
            if (bad.isPresent()) {
                return Optional.of(bad.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<InvalidConfigurationException> checkValue(String brokerKey, String value) {
        String topicKey = TOPIC_KEY_BY_BROKER_KEY.get(brokerKey);
        if (topicKey != null) {
            return TopicConfigDef.checkValue(brokerKey, topicKey, value);
        }
        if (value == null) {
            return Optional.of(new InvalidConfigurationException("Null value not supported for config: " + brokerKey));
        }
        if (isListenerStoreKey(brokerKey)) {
            return Optional.empty(); // the broker whose stores they are has loaded them before the change was sent
        }
        ConfigDef.ConfigKey key = BROKER_KEYS.configKeys().get(brokerKey);
        try {
            Object parsed = ConfigDef.parseType(brokerKey, value, key.type);
            if (key.validator != null) {
                key.validator.ensureValid(brokerKey, parsed);
            }
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(new InvalidConfigurationException(e.getMessage()));
        }
    }

    /**
     * Kafka's rule for changing a thread count of a running broker (LogCleaner and DynamicThreadPool): at least 1,
     * and at most halved or doubled from the current value at a time. Returns the broken rule, or empty; values
     * that are no integer are left to {@link #validate}.
     */
    public static Optional<String> threadCountChangeRefusal(String brokerKey, int current, String value) {
        if (!brokerKey.equals(LOG_CLEANER_THREADS) && !THREAD_POOL_SIZES.contains(brokerKey)) {
            return Optional.empty();
        }
        int wanted;
        try {
            wanted = Integer.parseInt(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            return Optional.empty();
        }
        if (wanted == current) {
            return Optional.empty();
        }
        if (brokerKey.equals(LOG_CLEANER_THREADS)) {
            if (wanted < 1) {
                return Optional.of("Log cleaner threads should be at least 1");
            }
            if (wanted < current / 2) {
                return Optional.of("Log cleaner threads cannot be reduced to less than half the current value " + current);
            }
            if (wanted > current * 2) {
                return Optional.of("Log cleaner threads cannot be increased to more than double the current value "
                        + current);
            }
            return Optional.empty();
        }
        String failed = "Dynamic thread count update validation failed for " + brokerKey + "=" + value;
        if (wanted < 1) {
            return Optional.of(failed + ", value should be at least 1");
        }
        if (wanted < current / 2) {
            return Optional.of(failed + ", value should be at least half the current value " + current);
        }
        if (wanted > current * 2) {
            return Optional.of(failed + ", value should not be greater than double the current value " + current);
        }
        return Optional.empty();
    }
}
