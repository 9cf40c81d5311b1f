package io.runnel.serdes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Confluent's settings and strategy names read as Confluent's serializers read them. */
class SerdeConfigTest {
    @Test
    void defaultsAreConfluents() {
        SerdeConfig config = new SerdeConfig(Map.of("schema.registry.url", "http://a:8081, http://b:8081"), false);
        assertEquals(List.of("http://a:8081", "http://b:8081"), config.registryUrls());
        assertEquals(true, config.autoRegister());
        assertEquals(false, config.useLatestVersion());
        assertEquals(SubjectNameStrategy.TOPIC, config.subjectNameStrategy());
        assertNull(config.basicAuthUserInfo());
        assertThrows(ConfigException.class, () -> new SerdeConfig(Map.of(), false).registryUrls());
    }

    @Test
    void strategiesAreNamedByConfluentsClassNamesOrOurs() {
        SerdeConfig config = new SerdeConfig(Map.of(
                "key.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy",
                "value.subject.name.strategy", "TopicRecordNameStrategy"), false);
        assertEquals(SubjectNameStrategy.TOPIC_RECORD, config.subjectNameStrategy());
        assertEquals(SubjectNameStrategy.RECORD, new SerdeConfig(Map.of("key.subject.name.strategy",
                "RecordNameStrategy"), true).subjectNameStrategy());
        assertThrows(ConfigException.class, () -> SubjectNameStrategy.named("SidewaysStrategy"));
    }

    @Test
    void subjectsFollowTheStrategy() {
        assertEquals("orders-value", SubjectNameStrategy.TOPIC.subject("orders", false, "course.Order"));
        assertEquals("orders-key", SubjectNameStrategy.TOPIC.subject("orders", true, null));
        assertEquals("course.Order", SubjectNameStrategy.RECORD.subject("orders", false, "course.Order"));
        assertEquals("orders-course.Order", SubjectNameStrategy.TOPIC_RECORD.subject("orders", false,
                "course.Order"));
        assertThrows(SerializationException.class, () -> SubjectNameStrategy.RECORD.subject("orders", false, null));
    }

    @Test
    void basicAuthComesFromUserInfoOrTheUrl() {
        assertEquals("u:p", new SerdeConfig(Map.of("schema.registry.url", "http://x:1",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "u:p"), false)
                .basicAuthUserInfo());
        assertEquals("v:q", new SerdeConfig(Map.of("schema.registry.url", "http://v:q@x:1"), false)
                .basicAuthUserInfo());
    }
}
