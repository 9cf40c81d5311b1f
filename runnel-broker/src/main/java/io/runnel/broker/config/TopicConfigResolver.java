package io.runnel.broker.config;

import io.runnel.metadata.config.TopicConfigDef;
import io.runnel.storage.LogConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The effective value of every topic-level config: the topic's override, else the broker's setting
 * of a synonym (e.g. {@code log.retention.hours} for {@code retention.ms}), else Kafka's default,
 * with the chain of synonyms DescribeConfigs reports.
 */
public final class TopicConfigResolver {
    /** Kafka's DescribeConfigs config sources (their wire ids). */
    public enum Source {
        TOPIC_CONFIG(1), STATIC_BROKER_CONFIG(4), DEFAULT_CONFIG(5);

        public final byte id;

        Source(int id) {
            this.id = (byte) id;
        }
    }

    public record Synonym(String name, String value, Source source) {
    }

    /** One config's effective value; {@code synonyms} lists every place it could come from, the winner first. */
    public record Entry(String name, String value, Source source, List<Synonym> synonyms) {
    }

    /** Broker keys that, when unset, take another key's value, as Kafka reads them. */
    private static final Map<String, String> BROKER_FALLBACKS =
            Map.of("log.flush.interval.ms", "log.flush.scheduler.interval.ms");

    private final Map<String, String> brokerSettings;

    /** @param brokerSettings the broker properties set explicitly (file, overrides or embedded defaults) */
    public TopicConfigResolver(Map<String, String> brokerSettings) {
        this.brokerSettings = brokerSettings;
    }

    public Entry resolve(String key, Map<String, String> overrides) {
        List<Synonym> synonyms = new ArrayList<>();
        String override = overrides.get(key);
        if (override != null) {
            synonyms.add(new Synonym(key, override, Source.TOPIC_CONFIG));
        }
        for (String synonym : TopicConfigDef.brokerSynonyms(key)) {
            String brokerKey = brokerSettings.containsKey(synonym) ? synonym
                    : BROKER_FALLBACKS.getOrDefault(synonym, synonym);
            String value = brokerSettings.get(brokerKey);
            if (value != null) {
                synonyms.add(new Synonym(brokerKey, value, Source.STATIC_BROKER_CONFIG));
            }
        }
        synonyms.add(new Synonym(key, TopicConfigDef.defaultValue(key), Source.DEFAULT_CONFIG));
        Synonym winner = synonyms.get(0);
        return new Entry(key, inTopicUnits(winner.name(), winner.value()), winner.source(), synonyms);
    }

    /** Every topic config, in Kafka's definition order. */
    public List<Entry> resolveAll(Map<String, String> overrides) {
        List<Entry> entries = new ArrayList<>();
        for (String key : TopicConfigDef.names()) {
            entries.add(resolve(key, overrides));
        }
        return entries;
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
                longValue(TopicConfig.RETENTION_BYTES_CONFIG, overrides));
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
