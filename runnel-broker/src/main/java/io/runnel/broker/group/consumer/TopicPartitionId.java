package io.runnel.broker.group.consumer;

import org.apache.kafka.common.Uuid;

/** A partition named by its topic id, as the consumer protocol names them. */
public record TopicPartitionId(Uuid topicId, int partition) {
}
