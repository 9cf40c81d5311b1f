package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerCalls.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.BrokerRegistrations;
import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The controller's reassignment state machine: start, catch-up through AlterPartition, completion, cancel, errors. */
class PartitionReassignmentsTest {
    private static final String CLUSTER = "test-cluster";

    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final AtomicLong nanos = new AtomicLong();
    private QuorumController controller = new QuorumController(log, 1, (short) 3, 1, 10_000, 60_000, nanos::get);
    private long[] epochs;

    @BeforeEach
    void registerFourBrokers() throws Exception {
        epochs = BrokerRegistrations.registerUnfenced(controller, CLUSTER, 4);
    }

    @AfterEach
    void close() {
        controller.close();
    }

    private Uuid topic(String name, List<Integer> replicas) throws Exception {
        return ControllerCalls.createTopic(controller, name, replicas);
    }

    private PartitionRegistration partition(Uuid topicId) {
        return ControllerCalls.firstPartition(log, topicId);
    }

    private ReassignablePartitionResponse reassign(String topic, int partition, List<Integer> replicas,
                                                   boolean allowReplicationFactorChange) throws Exception {
        AlterPartitionReassignmentsRequestData request = new AlterPartitionReassignmentsRequestData()
                .setAllowReplicationFactorChange(allowReplicationFactorChange);
        request.topics().add(new ReassignableTopic().setName(topic).setPartitions(List.of(
                new ReassignablePartition().setPartitionIndex(partition).setReplicas(replicas))));
        return get(controller.alterPartitionReassignments(request)).responses().get(0).partitions().get(0);
    }

    private Errors reassign(String topic, List<Integer> replicas) throws Exception {
        ReassignablePartitionResponse result = reassign(topic, 0, replicas, true);
        return Errors.forCode(result.errorCode());
    }

    private List<OngoingPartitionReassignment> listed() throws Exception {
        ListPartitionReassignmentsResponseData response = get(controller.listPartitionReassignments(
                new ListPartitionReassignmentsRequestData().setTopics(null)));
        return response.topics().stream().flatMap(t -> t.partitions().stream()).toList();
    }

    /** The leader's AlterPartition setting the ISR to {@code isr}, based on the partition's current state. */
    private Errors alterIsr(Uuid topicId, List<Integer> isr) throws Exception {
        PartitionRegistration p = partition(topicId);
        AlterPartitionRequestData.PartitionData data = new AlterPartitionRequestData.PartitionData().setPartitionIndex(0)
                .setLeaderEpoch(p.leaderEpoch()).setPartitionEpoch(p.partitionEpoch());
        isr.forEach(id -> data.newIsrWithEpochs().add(new AlterPartitionRequestData.BrokerState().setBrokerId(id)
                .setBrokerEpoch(epochs[id])));
        AlterPartitionRequestData request = new AlterPartitionRequestData().setBrokerId(p.leader())
                .setBrokerEpoch(epochs[p.leader()]);
        request.topics().add(new AlterPartitionRequestData.TopicData().setTopicId(topicId).setPartitions(List.of(data)));
        AlterPartitionResponseData response = get(controller.alterPartition(request));
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    @Test
    void aMoveAddsTheTargetAsFollowersAndCompletesWhenTheyJoinTheIsrMovingLeadershipOffARemovedLeader()
            throws Exception {
        Uuid t = topic("moved", List.of(1, 2));
        assertEquals(Errors.NONE, reassign("moved", List.of(2, 3)));

        PartitionRegistration moving = partition(t);
        assertArrayEquals(new int[] {2, 3, 1}, moving.replicas(), "the target, then the replicas being removed");
        assertArrayEquals(new int[] {3}, moving.addingReplicas());
        assertArrayEquals(new int[] {1}, moving.removingReplicas());
        assertArrayEquals(new int[] {1, 2}, moving.isr(), "the new replica joins the ISR only once caught up");
        assertEquals(1, moving.leader());
        OngoingPartitionReassignment ongoing = listed().get(0);
        assertEquals(List.of(2, 3, 1), ongoing.replicas());
        assertEquals(List.of(3), ongoing.addingReplicas());
        assertEquals(List.of(1), ongoing.removingReplicas());

        assertEquals(Errors.NEW_LEADER_ELECTED, alterIsr(t, List.of(1, 2, 3)),
                "the ISR change completing the move hands leadership to the target");
        PartitionRegistration done = partition(t);
        assertArrayEquals(new int[] {2, 3}, done.replicas());
        assertArrayEquals(new int[] {2, 3}, done.isr(), "the removed replica leaves the ISR");
        assertEquals(2, done.leader());
        assertEquals(moving.leaderEpoch() + 1, done.leaderEpoch());
        assertFalse(done.reassigning());
        assertTrue(listed().isEmpty());
    }

    @Test
    void theReplicationFactorGrowsOnceEveryNewReplicaIsInTheIsrAndShrinksAtOnce() throws Exception {
        Uuid t = topic("grown", List.of(1));
        assertEquals(Errors.NONE, reassign("grown", List.of(1, 2, 3)));
        assertEquals(Errors.NONE, alterIsr(t, List.of(1, 2)));
        assertTrue(partition(t).reassigning(), "broker 3 has not caught up yet");
        assertEquals(Errors.NONE, alterIsr(t, List.of(1, 2, 3)));
        assertArrayEquals(new int[] {1, 2, 3}, partition(t).replicas());
        assertFalse(partition(t).reassigning());

        assertEquals(Errors.NONE, reassign("grown", List.of(1, 3)));
        PartitionRegistration shrunk = partition(t);
        assertArrayEquals(new int[] {1, 3}, shrunk.replicas(), "every target replica is already in the ISR");
        assertArrayEquals(new int[] {1, 3}, shrunk.isr());
        assertEquals(1, shrunk.leader());
        assertFalse(shrunk.reassigning());
    }

    @Test
    void cancellingRevertsToTheOriginalReplicas() throws Exception {
        Uuid t = topic("cancelled", List.of(1, 2));
        assertEquals(Errors.NONE, reassign("cancelled", List.of(3, 4)));
        assertEquals(Errors.NONE, alterIsr(t, List.of(1, 2, 3)));
        assertTrue(partition(t).reassigning());

        assertEquals(Errors.NONE, reassign("cancelled", null));
        PartitionRegistration reverted = partition(t);
        assertArrayEquals(new int[] {1, 2}, reverted.replicas());
        assertArrayEquals(new int[] {1, 2}, reverted.isr(), "the replicas being added leave the ISR");
        assertEquals(1, reverted.leader());
        assertFalse(reverted.reassigning());
        assertEquals(Errors.NO_REASSIGNMENT_IN_PROGRESS, reassign("cancelled", null));
    }

    @Test
    void badTargetsAreRefusedAsKafkaRefusesThem() throws Exception {
        topic("checked", List.of(1, 2));
        int written = log.entries.size();
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, reassign("absent", List.of(1)));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                Errors.forCode(reassign("checked", 5, List.of(1), true).errorCode()));
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT, reassign("checked", List.of()));
        ReassignablePartitionResponse duplicate = reassign("checked", 0, List.of(2, 2), true);
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), duplicate.errorCode());
        assertEquals("The manual partition assignment includes the broker 2 more than once.", duplicate.errorMessage());
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT, reassign("checked", List.of(1, 9)));
        assertEquals(Errors.INVALID_REPLICATION_FACTOR,
                Errors.forCode(reassign("checked", 0, List.of(1, 2, 3), false).errorCode()));
        assertEquals(written, log.entries.size(), "nothing is written for refused reassignments");
    }

    @Test
    void aReassignmentInProgressIsInTheImageAndASnapshotSoANewControllerCompletesIt() throws Exception {
        Uuid t = topic("durable", List.of(1, 2));
        assertEquals(Errors.NONE, reassign("durable", List.of(2, 3)));

        MetadataImage image = log.image();
        MetadataDelta restored = new MetadataDelta(MetadataImage.empty(CLUSTER));
        image.toRecords().forEach(restored::replay);
        assertEquals(image.topicsById().get(t), restored.apply(image.lastAppliedOffset()).topicsById().get(t),
                "a snapshot keeps the adding and removing replicas");

        controller.close();
        controller = new QuorumController(log, 1, (short) 3, 1, 10_000, 60_000, nanos::get);
        assertEquals(1, listed().size(), "the controller taking over sees the reassignment");
        alterIsr(t, List.of(1, 2, 3));
        assertArrayEquals(new int[] {2, 3}, partition(t).replicas());
    }
}
