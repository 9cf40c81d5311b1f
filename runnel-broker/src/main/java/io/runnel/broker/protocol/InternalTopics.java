package io.runnel.broker.protocol;

import org.apache.kafka.common.internals.Topic;

/** Kafka's internal topics and topic-name rules, from kafka-clients' internal {@code Topic} (kept behind this adapter). */
public final class InternalTopics {
    /** The group coordinator's topic. */
    public static final String CONSUMER_OFFSETS = Topic.GROUP_METADATA_TOPIC_NAME;
    /** The transaction coordinator's topic. */
    public static final String TRANSACTION_STATE = Topic.TRANSACTION_STATE_TOPIC_NAME;

    private InternalTopics() {
    }

    public static boolean isInternal(String topic) {
        return Topic.isInternal(topic);
    }

    /** Throws InvalidTopicException saying what is wrong with {@code name} (length, characters, "." or ".."). */
    public static void validateName(String name) {
        Topic.validate(name);
    }
}
