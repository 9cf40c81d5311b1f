package io.runnel.metadata.record;

/** A registered broker fenced or unfenced; ignored unless {@code brokerEpoch} is its current registration's. */
public record BrokerRegistrationChangeRecord(int brokerId, long brokerEpoch, boolean fenced) implements MetadataRecord {
}
