package io.runnel.broker.producer;

import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.ConfigResult;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreatePartitionsSpec;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.AclResult;
import io.runnel.metadata.ScramCredentialResult;
import io.runnel.metadata.TopicResult;
import io.runnel.metadata.record.ScramCredentialRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsResponseData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProducerIdManagerTest {
    /** A controller whose id blocks are handed out at once, as a local quorum leader may. */
    private static final class ImmediateBlocks implements Controller {
        final List<Long> blocks = new ArrayList<>();
        private long next = 5000;

        @Override
        public CompletableFuture<Long> allocateProducerIds(int brokerId, int count) {
            long first = next;
            next += count;
            blocks.add(first);
            return CompletableFuture.completedFuture(first);
        }

        @Override
        public CompletableFuture<BrokerRegistrationResponseData> registerBroker(BrokerRegistrationRequestData request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<BrokerHeartbeatResponseData> brokerHeartbeat(BrokerHeartbeatRequestData request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<AlterPartitionResponseData> alterPartition(AlterPartitionRequestData request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<AssignReplicasToDirsResponseData> assignReplicasToDirs(
                AssignReplicasToDirsRequestData request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Void> unregisterBroker(int brokerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<ElectLeadersResponseData> electLeaders(ElectLeadersRequestData request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<AlterPartitionReassignmentsResponseData> alterPartitionReassignments(
                AlterPartitionReassignmentsRequestData request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<ListPartitionReassignmentsResponseData> listPartitionReassignments(
                ListPartitionReassignmentsRequestData request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<TopicResult>> createTopics(List<CreateTopicSpec> specs, boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<TopicResult>> deleteTopics(List<String> names, List<Uuid> ids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<TopicResult>> createPartitions(List<CreatePartitionsSpec> specs, boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<ConfigResult>> incrementalAlterConfigs(Map<ConfigResource, List<ConfigChange>> changes,
                                                                            boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<ConfigResult>> replaceConfigs(Map<ConfigResource, Map<String, String>> configs,
                                                                   boolean validateOnly) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<ScramCredentialResult>> alterScramCredentials(List<ScramCredentialRecord> changes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<AlterClientQuotasResponseData> alterClientQuotas(AlterClientQuotasRequestData r) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<AclResult>> createAcls(List<AclBinding> bindings) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<AclResult>> deleteAcls(List<AclBindingFilter> filters) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void idsComeFromBlocksAllocatedWhenTheCurrentOneRunsOut() {
        ImmediateBlocks controller = new ImmediateBlocks();
        ProducerIdManager ids = new ProducerIdManager(1, controller);
        for (int i = 0; i < ProducerIdManager.BLOCK_SIZE; i++) {
            assertEquals(5000L + i, ids.nextId().join());
        }
        assertEquals(5000L + ProducerIdManager.BLOCK_SIZE, ids.nextId().join());
        assertEquals(List.of(5000L, 5000L + ProducerIdManager.BLOCK_SIZE), controller.blocks);
    }
}
