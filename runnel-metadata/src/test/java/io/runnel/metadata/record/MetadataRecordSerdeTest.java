package io.runnel.metadata.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.runnel.metadata.Endpoint;
import io.runnel.metadata.PartitionRegistration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

class MetadataRecordSerdeTest {
    private final Uuid topicId = Uuid.randomUuid();

    @Test
    void everyRecordTypeRoundTrips() throws IOException {
        List<MetadataRecord> records = List.of(
                new RegisterBrokerRecord(1, List.of(new Endpoint("PLAINTEXT", "h1", 9092, "PLAINTEXT"),
                        new Endpoint("SSL", "h1", 9093, "SSL")), "rack-a", false, 12, Uuid.randomUuid()),
                new RegisterBrokerRecord(2, List.of(), null, true, 40, Uuid.randomUuid()),
                new BrokerRegistrationChangeRecord(2, 40, false),
                new TopicRecord("orders", topicId),
                new PartitionRecord(topicId, 3, new PartitionRegistration(new int[]{1, 2}, new int[]{2}, 2, 4, 7)),
                new PartitionChangeRecord(topicId, 3, null, new int[]{1, 2}, PartitionChangeRecord.NO_LEADER_CHANGE),
                new PartitionChangeRecord(topicId, 0, new int[]{3}, null, 3),
                new PartitionRecord(topicId, 4, new PartitionRegistration(new int[]{2, 3, 1}, new int[]{1, 2}, 1, 0, 3,
                        new int[]{3}, new int[]{1})),
                new PartitionChangeRecord(topicId, 4, new int[]{2, 3, 1}, null, PartitionChangeRecord.NO_LEADER_CHANGE,
                        new int[]{3}, new int[]{1}),
                new PartitionChangeRecord(topicId, 4, new int[]{2, 3}, new int[]{2, 3}, 2, new int[0], new int[0]),
                new PartitionRecord(topicId, 5, new PartitionRegistration(new int[]{1, 2, 3}, new int[0], -1, 3, 9,
                        new int[0], new int[0], new int[]{2, 1}, new int[]{1})),
                new PartitionChangeRecord(topicId, 5, null, new int[]{2}, 2, null, null, new int[]{1}, new int[0]),
                new RemoveTopicRecord(topicId),
                new ConfigRecord(ConfigResource.Type.TOPIC, "orders", "retention.ms", "1000"),
                new ConfigRecord(ConfigResource.Type.BROKER, "", "log.retention.hours", null),
                new ProducerIdsRecord(1, 5000L),
                new ScramCredentialRecord("alice", "SCRAM-SHA-256", "salt=c2FsdA==,stored_key=a2V5,server_key=a2V5,iterations=4096"),
                new ScramCredentialRecord("alice", "SCRAM-SHA-512", null),
                new UnregisterBrokerRecord(2, 40),
                new AccessControlEntryRecord(Uuid.randomUuid(), ResourceType.TOPIC, "orders", PatternType.PREFIXED,
                        "User:alice", "*", AclOperation.WRITE, AclPermissionType.DENY),
                new RemoveAccessControlEntryRecord(Uuid.randomUuid()),
                new ClientQuotaRecord(new ClientQuotaEntity(Map.of("user", "alice", "client-id", "app")),
                        "producer_byte_rate", 1024.0),
                new ClientQuotaRecord(new ClientQuotaEntity(Collections.singletonMap("client-id", null)),
                        "request_percentage", null),
                new QuorumMemberRecord(4, Uuid.randomUuid()));

        byte[] entry = MetadataRecordSerde.encodeEntry(records);

        assertEquals(records, MetadataRecordSerde.decodeEntry(new ByteArrayInputStream(entry)));
    }

    @Test
    void emptyEntryRoundTrips() throws IOException {
        byte[] entry = MetadataRecordSerde.encodeEntry(List.of());
        assertEquals(List.of(), MetadataRecordSerde.decodeEntry(new ByteArrayInputStream(entry)));
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] entry = MetadataRecordSerde.encodeEntry(List.of(new RemoveTopicRecord(topicId)));
        entry[5] = 9; // the version byte after the count (4 bytes) and the type byte
        IOException e = assertThrows(IOException.class,
                () -> MetadataRecordSerde.decodeEntry(new ByteArrayInputStream(entry)));
        assertEquals("Unsupported version 9 of metadata record type 5", e.getMessage());
    }
}
