package io.runnel.metadata.record;

import org.apache.kafka.common.Uuid;

/** Deletes the ACL with this id, as Kafka's RemoveAccessControlEntryRecord. */
public record RemoveAccessControlEntryRecord(Uuid id) implements MetadataRecord {
}
