package io.runnel.metadata.record;

import org.apache.kafka.common.Uuid;

/** A topic deleted, with its partitions and config overrides. */
public record RemoveTopicRecord(Uuid topicId) implements MetadataRecord {
}
