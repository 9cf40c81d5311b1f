package io.runnel.metadata.record;

import io.runnel.metadata.PartitionRegistration;
import org.apache.kafka.common.Uuid;

/** A partition created, with its full registration. */
public record PartitionRecord(Uuid topicId, int partition, PartitionRegistration registration) implements MetadataRecord {
}
