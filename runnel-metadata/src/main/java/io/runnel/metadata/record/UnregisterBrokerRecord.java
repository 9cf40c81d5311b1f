package io.runnel.metadata.record;

/** Broker {@code brokerId}, registered with {@code brokerEpoch}, is no longer part of the cluster (UnregisterBroker). */
public record UnregisterBrokerRecord(int brokerId, long brokerEpoch) implements MetadataRecord {
}
