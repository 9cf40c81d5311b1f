package io.runnel.broker.config;

import io.runnel.broker.config.TopicConfigResolver.Source;
import io.runnel.storage.LogConfig;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicConfigResolverTest {
    @Test
    void topicOverrideWinsOverBrokerSettingWhichWinsOverDefault() {
        TopicConfigResolver resolver = new TopicConfigResolver(Map.of("log.segment.bytes", "2097152"));

        TopicConfigResolver.Entry fromBroker = resolver.resolve("segment.bytes", Map.of());
        assertEquals("2097152", fromBroker.value());
        assertEquals(Source.STATIC_BROKER_CONFIG, fromBroker.source());

        TopicConfigResolver.Entry overridden = resolver.resolve("segment.bytes", Map.of("segment.bytes", "1048576"));
        assertEquals("1048576", overridden.value());
        assertEquals(Source.DYNAMIC_TOPIC_CONFIG, overridden.source());
        assertEquals(List.of(Source.DYNAMIC_TOPIC_CONFIG, Source.STATIC_BROKER_CONFIG, Source.DEFAULT_CONFIG),
                overridden.synonyms().stream().map(TopicConfigResolver.Synonym::source).toList());

        TopicConfigResolver.Entry byDefault = resolver.resolve("retention.ms", Map.of());
        assertEquals("604800000", byDefault.value());
        assertEquals(Source.DEFAULT_CONFIG, byDefault.source());
    }

    @Test
    void brokerSynonymsInHoursAndMinutesBecomeMilliseconds() {
        assertEquals("7200000", new TopicConfigResolver(Map.of("log.retention.hours", "2"))
                .resolve("retention.ms", Map.of()).value());
        assertEquals("180000", new TopicConfigResolver(Map.of("log.retention.minutes", "3", "log.retention.hours", "2"))
                .resolve("retention.ms", Map.of()).value());
        assertEquals("-1", new TopicConfigResolver(Map.of("log.retention.hours", "-1"))
                .resolve("retention.ms", Map.of()).value());
        assertEquals("3600000", new TopicConfigResolver(Map.of("log.roll.hours", "1"))
                .resolve("segment.ms", Map.of()).value());
    }

    @Test
    void logConfigCarriesTheResolvedValues() {
        TopicConfigResolver resolver = new TopicConfigResolver(Map.of("message.max.bytes", "5000"));
        LogConfig config = resolver.logConfig(Map.of("message.timestamp.type", "LogAppendTime", "segment.bytes", "1048576"));
        assertEquals(5000, config.maxMessageBytes());
        assertEquals(1048576, config.segmentBytes());
        assertEquals(TimestampType.LOG_APPEND_TIME, config.timestampType());
        assertEquals(2, resolver.minInsyncReplicas(Map.of("min.insync.replicas", "2")));
    }

    @Test
    void sourcesResolveInKafkasOrderWithSynonymsPerBrokerKey() {
        TopicConfigResolver resolver = new TopicConfigResolver(Map.of("log.retention.hours", "24"));
        resolver.updateDynamicConfigs(Map.of("log.retention.ms", "3000"), Map.of("log.retention.ms", "4000"));

        TopicConfigResolver.Entry entry = resolver.resolve("retention.ms", Map.of("retention.ms", "1000"));
        assertEquals("1000", entry.value());
        assertEquals(List.of(
                new TopicConfigResolver.Synonym("retention.ms", "1000", Source.DYNAMIC_TOPIC_CONFIG),
                new TopicConfigResolver.Synonym("log.retention.ms", "3000", Source.DYNAMIC_BROKER_CONFIG),
                new TopicConfigResolver.Synonym("log.retention.ms", "4000", Source.DYNAMIC_DEFAULT_BROKER_CONFIG),
                new TopicConfigResolver.Synonym("log.retention.hours", "24", Source.STATIC_BROKER_CONFIG),
                new TopicConfigResolver.Synonym("log.retention.hours", "168", Source.DEFAULT_CONFIG)), entry.synonyms());

        TopicConfigResolver.Entry fromBroker = resolver.resolve("retention.ms", Map.of());
        assertEquals("3000", fromBroker.value());
        assertEquals(Source.DYNAMIC_BROKER_CONFIG, fromBroker.source());

        resolver.updateDynamicConfigs(Map.of(), Map.of("log.retention.ms", "4000"));
        assertEquals(Source.DYNAMIC_DEFAULT_BROKER_CONFIG, resolver.resolve("retention.ms", Map.of()).source());
        assertEquals(4000, resolver.logConfig(Map.of()).retentionMs());

        resolver.updateDynamicConfigs(Map.of(), Map.of());
        TopicConfigResolver.Entry fromStatic = resolver.resolve("retention.ms", Map.of());
        assertEquals("86400000", fromStatic.value());
        assertEquals(Source.STATIC_BROKER_CONFIG, fromStatic.source());
    }

    @Test
    void updateReportsWhetherTheDynamicConfigsChanged() {
        TopicConfigResolver resolver = new TopicConfigResolver(Map.of());
        assertEquals(true, resolver.updateDynamicConfigs(Map.of("message.max.bytes", "10"), Map.of()));
        assertEquals(false, resolver.updateDynamicConfigs(Map.of("message.max.bytes", "10"), Map.of()));
        assertEquals(10, resolver.logConfig(Map.of()).maxMessageBytes());
    }

    @Test
    void brokerKeysResolveWithoutTheTopicLevel() {
        TopicConfigResolver resolver = new TopicConfigResolver(Map.of("log.segment.bytes", "2097152"));
        resolver.updateDynamicConfigs(Map.of(), Map.of("log.segment.bytes", "3145728"));

        TopicConfigResolver.Entry entry = resolver.resolveBroker("log.segment.bytes");
        assertEquals("3145728", entry.value());
        assertEquals(List.of(Source.DYNAMIC_DEFAULT_BROKER_CONFIG, Source.STATIC_BROKER_CONFIG, Source.DEFAULT_CONFIG),
                entry.synonyms().stream().map(TopicConfigResolver.Synonym::source).toList());
        assertEquals(List.of("log.segment.bytes"),
                resolver.clusterDefaults().stream().map(TopicConfigResolver.Entry::name).toList());
        assertEquals(Source.DEFAULT_CONFIG, resolver.resolveBroker("num.partitions").source());
    }
}
