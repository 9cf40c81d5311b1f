package io.runnel.metadata.config;

import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * Every topic-level config key Kafka defines: type, default, validator and the broker keys that supply its
 * cluster-wide default (first synonym wins, as in Kafka's DescribeConfigs synonym order).
 */
public final class TopicConfigDef {
    private record Key(Type type, String defaultValue, Validator validator, List<String> brokerSynonyms) {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();
    private static final ConfigDef DEF = new ConfigDef();
    private static final Map<String, String> DOCS = docsFromTopicConfig();

    static {
        String longMax = Long.toString(Long.MAX_VALUE);
        define(TopicConfig.SEGMENT_BYTES_CONFIG, Type.INT, "1073741824", atLeast(1024 * 1024), "log.segment.bytes");
        define(TopicConfig.SEGMENT_MS_CONFIG, Type.LONG, "604800000", atLeast(1), "log.roll.ms", "log.roll.hours");
        define(TopicConfig.SEGMENT_JITTER_MS_CONFIG, Type.LONG, "0", atLeast(0), "log.roll.jitter.ms", "log.roll.jitter.hours");
        define(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, Type.INT, "10485760", atLeast(4), "log.index.size.max.bytes");
        define(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, Type.LONG, longMax, atLeast(1), "log.flush.interval.messages");
        define(TopicConfig.FLUSH_MS_CONFIG, Type.LONG, longMax, atLeast(0), "log.flush.interval.ms");
        define(TopicConfig.RETENTION_BYTES_CONFIG, Type.LONG, "-1", null, "log.retention.bytes");
        define(TopicConfig.RETENTION_MS_CONFIG, Type.LONG, "604800000", atLeast(-1),
                "log.retention.ms", "log.retention.minutes", "log.retention.hours");
        define(TopicConfig.REMOTE_LOG_STORAGE_ENABLE_CONFIG, Type.BOOLEAN, "false", null);
        define(TopicConfig.LOCAL_LOG_RETENTION_MS_CONFIG, Type.LONG, "-2", atLeast(-2), "log.local.retention.ms");
        define(TopicConfig.LOCAL_LOG_RETENTION_BYTES_CONFIG, Type.LONG, "-2", atLeast(-2), "log.local.retention.bytes");
        define(TopicConfig.REMOTE_LOG_COPY_DISABLE_CONFIG, Type.BOOLEAN, "false", null);
        define(TopicConfig.REMOTE_COPY_LAG_MS_CONFIG, Type.LONG, "-1", atLeast(-1));
        define(TopicConfig.REMOTE_COPY_LAG_BYTES_CONFIG, Type.LONG, "-1", atLeast(-1));
        define(TopicConfig.REMOTE_LOG_DELETE_ON_DISABLE_CONFIG, Type.BOOLEAN, "false", null);
        define(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Type.INT, "1048588", atLeast(0), "message.max.bytes");
        define(TopicConfig.MAX_DECOMPRESSED_MESSAGE_BYTES_CONFIG, Type.INT, Integer.toString(Integer.MAX_VALUE), atLeast(1));
        define(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, Type.INT, "4096", atLeast(0), "log.index.interval.bytes");
        define(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, Type.LONG, "60000", atLeast(0), "log.segment.delete.delay.ms");
        define(TopicConfig.DELETE_RETENTION_MS_CONFIG, Type.LONG, "86400000", atLeast(0), "log.cleaner.delete.retention.ms");
        define(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Type.LONG, "0", atLeast(0), "log.cleaner.min.compaction.lag.ms");
        define(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Type.LONG, longMax, atLeast(1), "log.cleaner.max.compaction.lag.ms");
        define(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Type.DOUBLE, "0.5", between(0, 1), "log.cleaner.min.cleanable.ratio");
        // An empty list is allowed: infinite retention, no cleanup at all.
        define(TopicConfig.CLEANUP_POLICY_CONFIG, Type.LIST, "delete",
                ValidList.in(true, TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.CLEANUP_POLICY_DELETE), "log.cleanup.policy");
        define(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, Type.BOOLEAN, "false", null, "unclean.leader.election.enable");
        define(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Type.INT, "1", atLeast(1), "min.insync.replicas");
        define(TopicConfig.COMPRESSION_TYPE_CONFIG, Type.STRING, "producer",
                ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), "compression.type");
        define(TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG, Type.INT, "-1", gzipLevel(), "compression.gzip.level");
        define(TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG, Type.INT, "9", between(1, 17), "compression.lz4.level");
        define(TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG, Type.INT, "3", between(-131072, 22), "compression.zstd.level");
        define(TopicConfig.PREALLOCATE_CONFIG, Type.BOOLEAN, "false", null, "log.preallocate");
        define(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, Type.STRING, "CreateTime",
                ValidString.in("CreateTime", "LogAppendTime"), "log.message.timestamp.type");
        define(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Type.LONG, longMax, atLeast(0),
                "log.message.timestamp.before.max.ms");
        define(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Type.LONG, "3600000", atLeast(0),
                "log.message.timestamp.after.max.ms");
        // Deprecated and a no-op since Kafka 4.0, but still accepted.
        define("message.downconversion.enable", Type.BOOLEAN, "true", null, "log.message.downconversion.enable");
        define(TopicConfig.ERRORS_DEADLETTERQUEUE_GROUP_ENABLE_CONFIG, Type.BOOLEAN, "false", null);
        define(ThrottledReplicas.LEADER_CONFIG, Type.LIST, "", ThrottledReplicas.VALIDATOR);
        define(ThrottledReplicas.FOLLOWER_CONFIG, Type.LIST, "", ThrottledReplicas.VALIDATOR);
    }

    private TopicConfigDef() {
    }

    private static void define(String name, Type type, String defaultValue, Validator validator, String... synonyms) {
        KEYS.put(name, new Key(type, defaultValue, validator, List.of(synonyms)));
        DEF.define(name, type, defaultValue, validator, Importance.MEDIUM, name);
    }

    /** Kafka's gzip levels: 1..9, or -1 for zlib's default. */
    private static Validator gzipLevel() {
        return new Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                int level = (Integer) value;
                if (level != -1 && (level < 1 || level > 9)) {
                    throw new ConfigException(name, value, "Value must be between 1 and 9, or -1 for the default");
                }
            }

            @Override
            public String toString() {
                return "[1,...,9] or -1";
            }
        };
    }

    /** Kafka's documentation of each key: TopicConfig pairs every {@code X_CONFIG} name with an {@code X_DOC}. */
    private static Map<String, String> docsFromTopicConfig() {
        Map<String, String> docs = new HashMap<>();
        for (Field field : TopicConfig.class.getFields()) {
            if (!field.getName().endsWith("_CONFIG")) {
                continue;
            }
            try {
                String docField = field.getName().substring(0, field.getName().length() - "_CONFIG".length()) + "_DOC";
                docs.put((String) field.get(null), (String) TopicConfig.class.getField(docField).get(null));
            } catch (NoSuchFieldException | IllegalAccessException e) {
                // A key without documentation: DescribeConfigs answers null, as for unknown docs.
            }
        }
        return docs;
    }

    /**
     * An error naming {@code name}, the value and the rule if {@code value} does not fit {@code topicKey}'s type
     * and rule; {@code name} differs from the key when a broker synonym is checked (log.retention.ms).
     */
    public static Optional<InvalidConfigurationException> checkValue(String name, String topicKey, String value) {
        Key key = KEYS.get(topicKey);
        if (value == null) {
            return Optional.of(new InvalidConfigurationException("Null value not supported for config: " + name));
        }
        try {
            Object parsed = ConfigDef.parseType(name, value, key.type());
            if (key.validator() != null) {
                key.validator().ensureValid(name, parsed);
            }
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(new InvalidConfigurationException(e.getMessage()));
        }
    }

    /** Kafka's description of the key; null if it has none. */
    public static String documentation(String topicKey) {
        return DOCS.get(topicKey);
    }

    /** An error naming the key, the value and the rule for the first bad entry; empty if all are valid. */
    public static Optional<InvalidConfigurationException> validate(Map<String, String> topicConfigs) {
        for (Map.Entry<String, String> e : topicConfigs.entrySet()) {
            if (!KEYS.containsKey(e.getKey())) {
                return Optional.of(new InvalidConfigurationException("Unknown topic config name: " + e.getKey()));
            }
            if (e.getValue() == null) {
                return Optional.of(new InvalidConfigurationException(
                        "Null value not supported for topic config: " + e.getKey()));
            }
        }
        try {
            DEF.parse(topicConfigs);
            return Optional.empty();
        } catch (ConfigException e) {
            return Optional.of(new InvalidConfigurationException(e.getMessage()));
        }
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(KEYS.keySet());
    }

    public static boolean isKnown(String topicKey) {
        return KEYS.containsKey(topicKey);
    }

    /**
     * The broker keys that set this topic key's cluster default, most specific first; empty if none. A synonym
     * may be in another unit (log.retention.hours for retention.ms): the caller converts.
     */
    public static List<String> brokerSynonyms(String topicKey) {
        Key key = KEYS.get(topicKey);
        return key == null ? List.of() : key.brokerSynonyms();
    }

    /** Kafka's default, as a string (a list as comma-separated); null for an unknown key. */
    public static String defaultValue(String topicKey) {
        Key key = KEYS.get(topicKey);
        return key == null ? null : key.defaultValue();
    }

    public static Type type(String topicKey) {
        Key key = KEYS.get(topicKey);
        return key == null ? null : key.type();
    }
}
