package io.runnel.metadata.record;

/** A block of producer ids handed to {@code brokerId}; {@code nextProducerId} is the first id after it. */
public record ProducerIdsRecord(int brokerId, long nextProducerId) implements MetadataRecord {
}
