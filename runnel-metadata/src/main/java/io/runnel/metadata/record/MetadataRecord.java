package io.runnel.metadata.record;

/** One change to the cluster metadata; a controller operation writes a list of them as one log entry. */
public sealed interface MetadataRecord permits RegisterBrokerRecord, TopicRecord, PartitionRecord,
        PartitionChangeRecord, RemoveTopicRecord, ConfigRecord, ProducerIdsRecord,
        BrokerRegistrationChangeRecord, ScramCredentialRecord, UnregisterBrokerRecord, AccessControlEntryRecord,
        RemoveAccessControlEntryRecord, ClientQuotaRecord, QuorumMemberRecord {
}
