package io.runnel.broker.config;

import io.runnel.metadata.config.DynamicBrokerConfigDef;
import io.runnel.metadata.config.TopicConfigDef;
import io.runnel.storage.LogConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The effective value of every topic-level config, as Kafka resolves it: the topic's override, else a broker synonym
 * (e.g. {@code log.retention.hours} for {@code retention.ms}) set dynamically for this broker, set dynamically as
 * the cluster-wide default, or set in the broker's properties, else Kafka's default; with the chain of synonyms
 * DescribeConfigs reports, in Kafka's order. Broker keys resolve the same way, without the topic level.
 */
public final class TopicConfigResolver {
    /** Kafka's DescribeConfigs config sources (their wire ids). */
    public enum Source {
        DYNAMIC_TOPIC_CONFIG(1), DYNAMIC_BROKER_CONFIG(2), DYNAMIC_DEFAULT_BROKER_CONFIG(3), STATIC_BROKER_CONFIG(4),
        DEFAULT_CONFIG(5);

        public final byte id;

        Source(int id) {
            this.id = (byte) id;
        }
    }

    public record Synonym(String name, String value, Source source) {
    }

    /**
     * One config's effective value; {@code synonyms} lists every place it could come from, the winner first;
     * {@code type} and {@code documentation} may be null for a key Runnel does not define.
     */
    public record Entry(String name, String value, Source source, List<Synonym> synonyms, ConfigDef.Type type,
                        String documentation) {
    }

    /** The dynamic broker configs from the metadata log: this broker's own and the cluster-wide default. */
    private record DynamicConfigs(Map<String, String> thisBroker, Map<String, String> clusterDefault) {
    }

    /** Broker keys that, when unset, take another key's value, as Kafka reads them. */
    private static final Map<String, String> BROKER_FALLBACKS =
            Map.of("log.flush.interval.ms", "log.flush.scheduler.interval.ms");

    private final Map<String, String> brokerSettings;
    private volatile DynamicConfigs dynamic = new DynamicConfigs(Map.of(), Map.of());

    /** @param brokerSettings the broker properties set explicitly (file, overrides or embedded defaults) */
    public TopicConfigResolver(Map<String, String> brokerSettings) {
        this.brokerSettings = brokerSettings;
    }

    /** Takes the dynamic broker configs the metadata log holds now; true if they differ from the previous ones. */
    public boolean updateDynamicConfigs(Map<String, String> thisBroker, Map<String, String> clusterDefault) {
        DynamicConfigs next = new DynamicConfigs(thisBroker, clusterDefault);
        boolean changed = !next.equals(dynamic);
        dynamic = next;
        return changed;
    }

    public Entry resolve(String key, Map<String, String> overrides) {
        DynamicConfigs current = dynamic;
        List<Synonym> synonyms = new ArrayList<>();
        String override = overrides.get(key);
        if (override != null) {
            synonyms.add(new Synonym(key, override, Source.DYNAMIC_TOPIC_CONFIG));
        }
        for (String synonym : TopicConfigDef.brokerSynonyms(key)) {
            addBrokerSettings(synonyms, synonym, current);
        }
        synonyms.add(topicDefault(key));
        Synonym winner = synonyms.get(0);
        String value = winner.source() == Source.DEFAULT_CONFIG
                ? TopicConfigDef.defaultValue(key) : inTopicUnits(winner.name(), winner.value());
        return new Entry(key, value, winner.source(), synonyms, TopicConfigDef.type(key),
                TopicConfigDef.documentation(key));
    }

    /** Every topic config, in Kafka's definition order. */
    public List<Entry> resolveAll(Map<String, String> overrides) {
        List<Entry> entries = new ArrayList<>();
        for (String key : TopicConfigDef.names()) {
            entries.add(resolve(key, overrides));
        }
        return entries;
    }

    /** A broker key's value on this broker: dynamic, cluster default, static, then default; a null value if none. */
    public Entry resolveBroker(String brokerKey) {
        List<Synonym> synonyms = new ArrayList<>();
        addBrokerSettings(synonyms, brokerKey, dynamic);
        String defaultValue = brokerDefault(brokerKey);
        if (defaultValue != null) {
            synonyms.add(new Synonym(brokerKey, defaultValue, Source.DEFAULT_CONFIG));
        }
        Synonym winner = synonyms.isEmpty() ? new Synonym(brokerKey, null, Source.DEFAULT_CONFIG) : synonyms.get(0);
        return brokerEntry(brokerKey, winner.value(), winner.source(), synonyms);
    }

    /** The broker keys set dynamically as the cluster-wide default, as DescribeConfigs lists the "" broker resource. */
    public List<Entry> clusterDefaults() {
        List<Entry> entries = new ArrayList<>();
        new TreeMap<>(dynamic.clusterDefault()).forEach((key, value) -> entries.add(brokerEntry(key, value,
                Source.DYNAMIC_DEFAULT_BROKER_CONFIG, List.of(new Synonym(key, value, Source.DYNAMIC_DEFAULT_BROKER_CONFIG)))));
        return entries;
    }

    /** Type and documentation from the broker definitions, or from the topic config a dynamic-only key stands for. */
    private static Entry brokerEntry(String key, String value, Source source, List<Synonym> synonyms) {
        ConfigDef.ConfigKey def = BrokerConfigDef.DEF.configKeys().get(key);
        if (def != null) {
            return new Entry(key, value, source, synonyms, def.type, def.documentation);
        }
        return new Entry(key, value, source, synonyms, DynamicBrokerConfigDef.type(key),
                DynamicBrokerConfigDef.documentation(key));
    }

    /** The broker keys set dynamically for this broker or the cluster: they may lie outside the static definitions. */
    public Set<String> dynamicBrokerKeys() {
        DynamicConfigs current = dynamic;
        Set<String> keys = new TreeSet<>(current.thisBroker().keySet());
        keys.addAll(current.clusterDefault().keySet());
        return keys;
    }

    private void addBrokerSettings(List<Synonym> synonyms, String brokerKey, DynamicConfigs current) {
        String perBroker = current.thisBroker().get(brokerKey);
        if (perBroker != null) {
            synonyms.add(new Synonym(brokerKey, perBroker, Source.DYNAMIC_BROKER_CONFIG));
        }
        String clusterDefault = current.clusterDefault().get(brokerKey);
        if (clusterDefault != null) {
            synonyms.add(new Synonym(brokerKey, clusterDefault, Source.DYNAMIC_DEFAULT_BROKER_CONFIG));
        }
        String staticKey = brokerSettings.containsKey(brokerKey) ? brokerKey
                : BROKER_FALLBACKS.getOrDefault(brokerKey, brokerKey);
        String staticValue = brokerSettings.get(staticKey);
        if (staticValue != null) {
            synonyms.add(new Synonym(staticKey, staticValue, Source.STATIC_BROKER_CONFIG));
        }
    }

    /** Kafka names a topic config's default after the first broker synonym that has one (log.retention.hours=168). */
    private static Synonym topicDefault(String key) {
        for (String synonym : TopicConfigDef.brokerSynonyms(key)) {
            String value = brokerDefault(synonym);
            if (value != null) {
                return new Synonym(synonym, value, Source.DEFAULT_CONFIG);
            }
        }
        return new Synonym(key, TopicConfigDef.defaultValue(key), Source.DEFAULT_CONFIG);
    }

    /** The broker key's default in its own unit; null if it has none. */
    private static String brokerDefault(String brokerKey) {
        ConfigDef.ConfigKey key = BrokerConfigDef.DEF.configKeys().get(brokerKey);
        if (key == null) {
            return DynamicBrokerConfigDef.defaultValue(brokerKey);
        }
        return key.hasDefault() && key.defaultValue != null ? ConfigDef.convertToString(key.defaultValue, key.type) : null;
    }

    public LogConfig logConfig(Map<String, String> overrides) {
        return new LogConfig(
                intValue(TopicConfig.SEGMENT_BYTES_CONFIG, overrides),
                longValue(TopicConfig.SEGMENT_MS_CONFIG, overrides),
                longValue(TopicConfig.SEGMENT_JITTER_MS_CONFIG, overrides),
                intValue(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, overrides),
                intValue(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, overrides),
                longValue(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, overrides),
                longValue(TopicConfig.FLUSH_MS_CONFIG, overrides),
                intValue(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, overrides),
                "LogAppendTime".equals(resolve(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, overrides).value())
                        ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                longValue(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, overrides),
                longValue(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, overrides),
                longValue(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, overrides),
                longValue(TopicConfig.RETENTION_MS_CONFIG, overrides),
                longValue(TopicConfig.RETENTION_BYTES_CONFIG, overrides),
                cleanupPolicy(overrides).contains(TopicConfig.CLEANUP_POLICY_COMPACT),
                cleanupPolicy(overrides).contains(TopicConfig.CLEANUP_POLICY_DELETE),
                longValue(TopicConfig.DELETE_RETENTION_MS_CONFIG, overrides),
                longValue(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, overrides),
                longValue(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, overrides),
                Double.parseDouble(resolve(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, overrides).value().trim()));
    }

    /** cleanup.policy's values: delete, compact, or both. */
    private List<String> cleanupPolicy(Map<String, String> overrides) {
        List<String> policies = new ArrayList<>();
        for (String policy : resolve(TopicConfig.CLEANUP_POLICY_CONFIG, overrides).value().split(",")) {
            policies.add(policy.trim());
        }
        return policies;
    }

    public int minInsyncReplicas(Map<String, String> overrides) {
        return intValue(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, overrides);
    }

    private int intValue(String key, Map<String, String> overrides) {
        return Integer.parseInt(resolve(key, overrides).value().trim());
    }

    private long longValue(String key, Map<String, String> overrides) {
        return Long.parseLong(resolve(key, overrides).value().trim());
    }

    /**
     * Broker synonyms in hours or minutes (log.retention.hours, log.roll.hours...) give topic values in ms;
     * a negative broker duration (log.retention.hours=-1) means "unlimited": -1, as Kafka reads it.
     */
    private static String inTopicUnits(String name, String value) {
        long factor = name.endsWith(".hours") ? 3_600_000L : name.endsWith(".minutes") ? 60_000L
                : name.equals("log.retention.ms") ? 1 : 0;
        if (factor == 0) {
            return value;
        }
        long units = Long.parseLong(value.trim());
        return Long.toString(units < 0 ? -1 : units * factor);
    }
}
