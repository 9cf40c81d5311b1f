package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** AlterPartitionReassignments and ListPartitionReassignments on one node, where no reassignment is in progress. */
final class PartitionReassignmentsScenarios {
    private static final int ABSENT_PARTITION = 9;

    private PartitionReassignmentsScenarios() {
    }

    /**
     * Cancelling where nothing moves is NO_REASSIGNMENT_IN_PROGRESS, an absent partition UNKNOWN_TOPIC_OR_PARTITION, a
     * target naming an unregistered broker INVALID_REPLICA_ASSIGNMENT; the reassignment to the current replica is
     * accepted and changes nothing.
     */
    static final class Alter implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            AlterPartitionReassignmentsRequestData request = new AlterPartitionReassignmentsRequestData();
            request.topics().add(new ReassignableTopic().setName(Fixture.TOPIC).setPartitions(List.of(
                    new ReassignablePartition().setPartitionIndex(0).setReplicas(null),
                    new ReassignablePartition().setPartitionIndex(ABSENT_PARTITION).setReplicas(List.of(1)),
                    new ReassignablePartition().setPartitionIndex(1).setReplicas(List.of(1, 77)),
                    new ReassignablePartition().setPartitionIndex(1).setReplicas(List.of(1)))));
            AlterPartitionReassignmentsResponseData response = x.send(request);
            assertEquals(Errors.NONE.code(), response.errorCode(), "top-level error");
            List<AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse> results =
                    response.responses().get(0).partitions();
            assertEquals(Errors.NO_REASSIGNMENT_IN_PROGRESS.code(), results.get(0).errorCode(), "cancel");
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), results.get(1).errorCode(), "absent partition");
            assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), results.get(2).errorCode(), "unknown broker");
            assertEquals(Errors.NONE.code(), results.get(3).errorCode(), "the current replicas");
        }
    }

    /** Nothing in progress: every partition, and a named one, list no reassignment. */
    static final class ListOngoing implements ApiScenario {
        @Override
        public ApiKeys api() {
            return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
        }

        @Override
        public void run(Exchange x) throws Exception {
            ListPartitionReassignmentsResponseData all = x.send(new ListPartitionReassignmentsRequestData()
                    .setTopics(null));
            assertEquals(Errors.NONE.code(), all.errorCode(), "top-level error");
            assertTrue(all.topics().isEmpty(), "no reassignment in progress");
            ListPartitionReassignmentsRequestData named = new ListPartitionReassignmentsRequestData().setTopics(List.of(
                    new ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics()
                            .setName(Fixture.TOPIC).setPartitionIndexes(List.of(0, 1))));
            assertTrue(((ListPartitionReassignmentsResponseData) x.send(named)).topics().isEmpty(), "named partitions");
        }
    }
}
