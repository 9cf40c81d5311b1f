package io.runnel.metadata.record;

import org.apache.kafka.common.Uuid;

/**
 * Node {@code nodeId} follows the metadata log from a metadata directory whose meta.properties names
 * {@code directoryId}: the directory half of a KRaft replica key (KIP-853), which Ratis peers cannot carry.
 */
public record QuorumMemberRecord(int nodeId, Uuid directoryId) implements MetadataRecord {
}
