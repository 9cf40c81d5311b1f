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
        assertEquals(Source.TOPIC_CONFIG, overridden.source());
        assertEquals(List.of(Source.TOPIC_CONFIG, Source.STATIC_BROKER_CONFIG, Source.DEFAULT_CONFIG),
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
}
