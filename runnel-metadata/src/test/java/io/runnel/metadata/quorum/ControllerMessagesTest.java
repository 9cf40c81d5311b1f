package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.AclResult;
import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.controller.InMemoryMetadataLog;
import io.runnel.metadata.controller.QuorumController;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ControllerMessagesTest {
    @Test
    void aConfigOperationKafkaDoesNotDefineIsForwardedAndRefusedAsAnInvalidRequest() throws Exception {
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        ControllerMessages.Call<List<ConfigResult>> call = ControllerMessages.incrementalAlterConfigs(
                Map.of(clusterDefault, List.of(new ConfigChange("log.retention.ms", AlterConfigOp.OpType.forId((byte) 9), "1"))),
                false);
        try (QuorumController controller = new QuorumController(new InMemoryMetadataLog(), 1, (short) 1, 1,
                10_000, 9_000, System::nanoTime)) {
            byte[] answer = ControllerMessages.serve(java.util.UUID.randomUUID(), ByteBuffer.wrap(call.bytes()), controller,
                    DescribeQuorumResponseData::new).get();
            List<ConfigResult> results = call.decodeAnswer(ByteBuffer.wrap(answer));
            assertEquals(1, results.size());
            assertEquals(Errors.INVALID_REQUEST, results.get(0).error(), results.get(0).message());
        }
    }

    @Test
    void aclCallsTravelWithEveryFieldAndTheirAnswersNameTheDeletedAcls() throws Exception {
        AclBinding acl = new AclBinding(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "tx-", PatternType.PREFIXED),
                new AccessControlEntry("User:alice", "10.0.0.1", AclOperation.DESCRIBE, AclPermissionType.DENY));
        try (QuorumController controller = new QuorumController(new InMemoryMetadataLog(), 1, (short) 1, 1,
                10_000, 9_000, System::nanoTime)) {
            ControllerMessages.Call<List<AclResult>> create = ControllerMessages.createAcls(List.of(acl));
            assertEquals(List.of(AclResult.CREATED), create.decodeAnswer(ByteBuffer.wrap(ControllerMessages.serve(
                    java.util.UUID.randomUUID(), ByteBuffer.wrap(create.bytes()), controller,
                    DescribeQuorumResponseData::new).get())));
            ControllerMessages.Call<List<AclResult>> delete = ControllerMessages.deleteAcls(List.of(AclBindingFilter.ANY));
            List<AclResult> deleted = delete.decodeAnswer(ByteBuffer.wrap(ControllerMessages.serve(
                    java.util.UUID.randomUUID(), ByteBuffer.wrap(delete.bytes()), controller,
                    DescribeQuorumResponseData::new).get()));
            assertEquals(List.of(new AclResult(Errors.NONE, null, List.of(acl))), deleted);
        }
    }

    @Test
    void aClientQuotaAlterationTravelsWithItsDefaultEntityAndItsAnswerCarriesEachEntitysError() throws Exception {
        AlterClientQuotasRequestData request = new AlterClientQuotasRequestData().setEntries(List.of(
                new AlterClientQuotasRequestData.EntryData()
                        .setEntity(List.of(new AlterClientQuotasRequestData.EntityData().setEntityType("user")
                                .setEntityName(null)))
                        .setOps(List.of(new AlterClientQuotasRequestData.OpData().setKey("producer_byte_rate")
                                .setValue(2048))),
                new AlterClientQuotasRequestData.EntryData()
                        .setEntity(List.of(new AlterClientQuotasRequestData.EntityData().setEntityType("group")
                                .setEntityName("g")))
                        .setOps(List.of(new AlterClientQuotasRequestData.OpData().setKey("producer_byte_rate")
                                .setValue(1)))));
        InMemoryMetadataLog log = new InMemoryMetadataLog();
        try (QuorumController controller = new QuorumController(log, 1, (short) 1, 1, 10_000, 9_000, System::nanoTime)) {
            ControllerMessages.Call<AlterClientQuotasResponseData> call = ControllerMessages.alterClientQuotas(request);
            AlterClientQuotasResponseData response = call.decodeAnswer(ByteBuffer.wrap(ControllerMessages.serve(
                    java.util.UUID.randomUUID(), ByteBuffer.wrap(call.bytes()), controller,
                    DescribeQuorumResponseData::new).get()));
            assertEquals(List.of(Errors.NONE.code(), Errors.INVALID_REQUEST.code()),
                    response.entries().stream().map(AlterClientQuotasResponseData.EntryData::errorCode).toList());
            assertEquals(Map.of(new ClientQuotaEntity(Collections.singletonMap("user", null)),
                    Map.of("producer_byte_rate", 2048.0)), log.image().clientQuotas());
        }
    }
}
