package io.runnel.metadata.record;

import org.apache.kafka.common.Uuid;

/** A topic created; its partitions follow as {@link PartitionRecord}s in the same entry. */
public record TopicRecord(String name, Uuid topicId) implements MetadataRecord {
}
