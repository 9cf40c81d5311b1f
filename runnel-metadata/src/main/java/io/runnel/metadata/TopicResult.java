package io.runnel.metadata;

import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/** The outcome for one topic of a create / delete / create-partitions call. */
public record TopicResult(String name, Uuid topicId, Errors error, String message,
                          int numPartitions, short replicationFactor, Map<String, String> configs) {

    public static TopicResult failure(String name, Uuid topicId, Errors error, String message) {
        return new TopicResult(name, topicId, error, message, -1, (short) -1, Map.of());
    }
}
