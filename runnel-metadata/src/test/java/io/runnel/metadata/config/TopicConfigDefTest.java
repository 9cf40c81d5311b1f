package io.runnel.metadata.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicConfigDefTest {

    @Test
    void validConfigsPass() {
        assertTrue(TopicConfigDef.validate(Map.of("retention.ms", "-1", "cleanup.policy", "compact,delete",
                "segment.bytes", "1048576", "compression.type", "zstd", "min.cleanable.dirty.ratio", "0.1",
                "compression.gzip.level", "-1")).isEmpty());
        assertTrue(TopicConfigDef.validate(Map.of("cleanup.policy", "")).isEmpty());
    }

    @Test
    void unknownKeyIsNamed() {
        assertEquals("Unknown topic config name: retention.millis",
                TopicConfigDef.validate(Map.of("retention.millis", "1")).orElseThrow().getMessage());
    }

    @Test
    void badValueNamesKeyValueAndRule() {
        assertEquals("Invalid value 100 for configuration segment.bytes: Value must be at least 1048576",
                TopicConfigDef.validate(Map.of("segment.bytes", "100")).orElseThrow().getMessage());
        String notANumber = TopicConfigDef.validate(Map.of("retention.ms", "soon")).orElseThrow().getMessage();
        assertTrue(notANumber.contains("soon") && notANumber.contains("retention.ms") && notANumber.contains("LONG"),
                notANumber);
        String policy = TopicConfigDef.validate(Map.of("cleanup.policy", "shred")).orElseThrow().getMessage();
        assertTrue(policy.contains("shred") && policy.contains("cleanup.policy"), policy);
        String gzip = TopicConfigDef.validate(Map.of("compression.gzip.level", "0")).orElseThrow().getMessage();
        assertTrue(gzip.contains("compression.gzip.level") && gzip.contains("between 1 and 9"), gzip);
    }

    @Test
    void nullValueIsRejected() {
        Map<String, String> configs = new java.util.HashMap<>();
        configs.put("retention.ms", null);
        assertEquals("Null value not supported for topic config: retention.ms",
                TopicConfigDef.validate(configs).orElseThrow().getMessage());
    }

    @Test
    void knowsEveryKafkaTopicKeyWithDefaultsAndSynonyms() throws IllegalAccessException {
        for (var field : TopicConfig.class.getFields()) {
            if (field.getName().endsWith("_CONFIG")) {
                String key = (String) field.get(null);
                assertTrue(TopicConfigDef.names().contains(key), key);
                assertTrue(TopicConfigDef.defaultValue(key) != null, key);
            }
        }
        assertEquals("1073741824", TopicConfigDef.defaultValue("segment.bytes"));
        assertEquals(List.of("log.segment.bytes"), TopicConfigDef.brokerSynonyms("segment.bytes"));
        assertEquals(List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
                TopicConfigDef.brokerSynonyms("retention.ms"));
        assertEquals(List.of(), TopicConfigDef.brokerSynonyms("no.such.key"));
    }
}
