package io.runnel.serdes;

import java.util.Arrays;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's subject name strategies: which subject a record's schema is registered under. A setting may name one
 * by Confluent's class name ({@code io.confluent.kafka.serializers.subject.RecordNameStrategy}), by ours or simply.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-key} or {@code <topic>-value}: one schema per topic. */
    TOPIC("TopicNameStrategy"),
    /** The record's full name: one type across topics, several types per topic. */
    RECORD("RecordNameStrategy"),
    /** {@code <topic>-<record full name>}. */
    TOPIC_RECORD("TopicRecordNameStrategy");

    private final String simpleName;

    SubjectNameStrategy(String simpleName) {
        this.simpleName = simpleName;
    }

    public String className() {
        return "io.confluent.kafka.serializers.subject." + simpleName;
    }

    public static SubjectNameStrategy named(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1).trim();
        return Arrays.stream(values()).filter(s -> s.simpleName.equals(simple)).findFirst().orElseThrow(() ->
                new ConfigException("subject.name.strategy", className, "one of TopicNameStrategy, "
                        + "RecordNameStrategy, TopicRecordNameStrategy"));
    }

    /** The subject; {@code recordName} is the schema's full name (Avro) or title (JSON Schema). */
    public String subject(String topic, boolean isKey, String recordName) {
        if (this != TOPIC && (recordName == null || recordName.isEmpty())) {
            throw new SerializationException(simpleName + " needs a named schema "
                    + "(an Avro record, a JSON Schema with a title)");
        }
        return switch (this) {
            case TOPIC -> topic + (isKey ? "-key" : "-value");
            case RECORD -> recordName;
            case TOPIC_RECORD -> topic + "-" + recordName;
        };
    }
}
