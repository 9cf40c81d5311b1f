package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerCalls.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.BrokerRegistrations;
import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.PartitionRegistration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registration, heartbeats, fencing, AlterPartition and leader elections on the controller, with a clock the test
 * moves.
 */
class BrokerLifecycleTest {
    private static final String CLUSTER = "test-cluster";
    private static final long SESSION_MS = 9_000;

    private final AtomicLong nanos = new AtomicLong();
    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final QuorumController controller = new QuorumController(log, 1, (short) 3, 1, 10_000, SESSION_MS, nanos::get);
    private long[] epochs;

    @BeforeEach
    void registerThreeBrokers() throws Exception {
        epochs = BrokerRegistrations.registerUnfenced(controller, CLUSTER, 3);
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

    private BrokerHeartbeatResponseData heartbeat(int id, boolean wantShutDown) throws Exception {
        return get(controller.brokerHeartbeat(new BrokerHeartbeatRequestData().setBrokerId(id).setBrokerEpoch(epochs[id])
                .setCurrentMetadataOffset(Long.MAX_VALUE).setWantShutDown(wantShutDown)));
    }

    /** Moves the clock past broker {@code silent}'s session while the others keep theirs. */
    private void expireSessionOf(int silent) throws Exception {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(SESSION_MS / 2 + 1));
        for (int id = 1; id <= 3; id++) {
            if (id != silent) {
                heartbeat(id, false);
            }
        }
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(SESSION_MS / 2 + 1));
        for (int id = 1; id <= 3; id++) {
            if (id != silent) {
                heartbeat(id, false);
            }
        }
    }

    @Test
    void aSilentBrokerIsFencedAndItsLeadershipMovesWithTheLeaderEpochBumped() throws Exception {
        Uuid t = topic("t", List.of(1, 2, 3));
        assertEquals(-1, get(controller.fenceExpiredBroker()), "no session has expired");

        expireSessionOf(1);
        assertEquals(1, get(controller.fenceExpiredBroker()));

        assertTrue(log.image().brokers().get(1).fenced());
        PartitionRegistration p = partition(t);
        assertEquals(2, p.leader(), "the next replica in the ISR leads");
        assertEquals(1, p.leaderEpoch());
        assertEquals(1, p.partitionEpoch());
        assertArrayEquals(new int[] {2, 3}, p.isr(), "a fenced broker leaves the ISR");

        BrokerHeartbeatResponseData back = heartbeat(1, false);
        assertFalse(back.isFenced(), "a caught-up broker that heartbeats again is unfenced");
        assertFalse(log.image().brokers().get(1).fenced());
        assertEquals(2, partition(t).leader(), "unfencing does not take leadership back from a live leader");
    }

    @Test
    void theLastIsrMemberBecomesAnEligibleLeaderAndThePartitionWaitsForItWithoutUncleanElection() throws Exception {
        Uuid t = topic("single", List.of(1));
        expireSessionOf(1);
        get(controller.fenceExpiredBroker());
        assertEquals(-1, partition(t).leader());
        assertArrayEquals(new int[0], partition(t).isr());
        assertArrayEquals(new int[] {1}, partition(t).elr());

        heartbeat(1, false);
        assertEquals(1, partition(t).leader(), "the last ISR member leads again once unfenced");
        assertEquals(2, partition(t).leaderEpoch());
    }

    @Test
    void uncleanElectionPicksAnUnfencedReplicaOutsideTheIsr() throws Exception {
        Uuid t = topic("unclean", List.of(1, 2));
        AlterPartitionResponseData shrunk = alter(t, 1, epochs[1], 0, 0, List.of(1));
        assertEquals(Errors.NONE.code(), shrunk.topics().get(0).partitions().get(0).errorCode());
        get(controller.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "unclean"),
                List.of(new ConfigChange("unclean.leader.election.enable", AlterConfigOp.OpType.SET, "true"))), false));

        expireSessionOf(1);
        get(controller.fenceExpiredBroker());
        assertEquals(2, partition(t).leader());
        assertArrayEquals(new int[] {2}, partition(t).isr());
    }

    @Test
    void controlledShutdownMovesLeadershipsBeforeTheBrokerIsToldToStop() throws Exception {
        Uuid t = topic("moving", List.of(1, 2));
        BrokerHeartbeatResponseData answer = heartbeat(1, true);
        assertTrue(answer.shouldShutDown());
        assertEquals(2, partition(t).leader());
        assertTrue(log.image().brokers().get(1).fenced());
    }

    private AlterPartitionResponseData alter(Uuid topicId, int sender, long brokerEpoch, int leaderEpoch,
                                             int partitionEpoch, List<Integer> isr) throws Exception {
        AlterPartitionRequestData request = new AlterPartitionRequestData().setBrokerId(sender).setBrokerEpoch(brokerEpoch);
        AlterPartitionRequestData.TopicData topicData = new AlterPartitionRequestData.TopicData().setTopicId(topicId);
        AlterPartitionRequestData.PartitionData data = new AlterPartitionRequestData.PartitionData().setPartitionIndex(0)
                .setLeaderEpoch(leaderEpoch).setPartitionEpoch(partitionEpoch);
        isr.forEach(id -> data.newIsrWithEpochs().add(new AlterPartitionRequestData.BrokerState().setBrokerId(id)
                .setBrokerEpoch(epochs[id])));
        topicData.partitions().add(data);
        request.topics().add(topicData);
        return get(controller.alterPartition(request));
    }

    private static Errors error(AlterPartitionResponseData response) {
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    @Test
    void alterPartitionChecksEpochsAndMembership() throws Exception {
        Uuid t = topic("isr", List.of(1, 2, 3));
        assertEquals(Errors.STALE_BROKER_EPOCH.code(), alter(t, 1, epochs[1] + 100, 0, 0, List.of(1)).errorCode());
        assertEquals(Errors.INVALID_REQUEST, error(alter(t, 2, epochs[2], 0, 0, List.of(2))), "only the leader");
        assertEquals(Errors.INVALID_UPDATE_VERSION, error(alter(t, 1, epochs[1], 0, 5, List.of(1))));
        assertEquals(Errors.NOT_CONTROLLER, error(alter(t, 1, epochs[1], 3, 0, List.of(1))));

        AlterPartitionResponseData shrunk = alter(t, 1, epochs[1], 0, 0, List.of(1, 3));
        AlterPartitionResponseData.PartitionData answer = shrunk.topics().get(0).partitions().get(0);
        assertEquals(Errors.NONE.code(), answer.errorCode());
        assertEquals(List.of(1, 3), answer.isr());
        assertEquals(1, answer.partitionEpoch());
        assertEquals(partition(t), new PartitionRegistration(new int[] {1, 2, 3}, new int[] {1, 3}, 1, 0, 1));

        expireSessionOf(2);
        get(controller.fenceExpiredBroker());
        assertEquals(Errors.INELIGIBLE_REPLICA, error(alter(t, 1, epochs[1], 0, 1, List.of(1, 2, 3))),
                "a fenced broker cannot join the ISR");
        assertEquals(Errors.FENCED_LEADER_EPOCH, error(alterAfterLeaderChange(t)));
    }

    private AlterPartitionResponseData alterAfterLeaderChange(Uuid t) throws Exception {
        heartbeat(1, true);
        PartitionRegistration p = partition(t);
        assertEquals(3, p.leader());
        return alter(t, 3, epochs[3], 0, p.partitionEpoch(), List.of(3));
    }

    @Test
    void aPreferredElectionMovesLeadershipBackOnceThePreferredReplicaIsAnUnfencedIsrMember() throws Exception {
        Uuid t = topic("preferred", List.of(1, 2, 3));
        expireSessionOf(1);
        get(controller.fenceExpiredBroker());
        assertEquals(Errors.PREFERRED_LEADER_NOT_AVAILABLE, elect(ElectionType.PREFERRED, "preferred", 0), "fenced");
        heartbeat(1, false);
        assertEquals(Errors.PREFERRED_LEADER_NOT_AVAILABLE, elect(ElectionType.PREFERRED, "preferred", 0),
                "unfenced but outside the ISR");
        assertEquals(Errors.NONE, error(alter(t, 2, epochs[2], 1, 1, List.of(2, 3, 1))));

        assertEquals(Errors.NONE, elect(ElectionType.PREFERRED, "preferred", 0));
        assertEquals(1, partition(t).leader());
        assertEquals(2, partition(t).leaderEpoch());
        assertEquals(Errors.ELECTION_NOT_NEEDED, elect(ElectionType.PREFERRED, "preferred", 0));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, elect(ElectionType.PREFERRED, "preferred", 7));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, elect(ElectionType.PREFERRED, "absent", 0));
        assertTrue(get(controller.electLeaders(new ElectLeadersRequestData().setTopicPartitions(null)))
                .replicaElectionResults().isEmpty(), "over every partition, those needing no election are left out");
        ExecutionException unknownType = assertThrows(ExecutionException.class,
                () -> get(controller.electLeaders(new ElectLeadersRequestData().setElectionType((byte) 7))));
        assertInstanceOf(InvalidRequestException.class, unknownType.getCause());
    }

    @Test
    void anUncleanElectionGivesALeaderlessPartitionAReplicaOutsideTheIsr() throws Exception {
        Uuid t = topic("leaderless", List.of(1, 2));
        assertEquals(Errors.NONE, error(alter(t, 1, epochs[1], 0, 0, List.of(1))));
        expireSessionOf(1);
        get(controller.fenceExpiredBroker());
        assertEquals(-1, partition(t).leader(), "no unclean election unless asked for");

        ElectLeadersResponseData all = get(controller.electLeaders(new ElectLeadersRequestData()
                .setElectionType(ElectionType.UNCLEAN.value).setTopicPartitions(null)));
        assertEquals(Errors.NONE.code(), all.replicaElectionResults().get(0).partitionResult().get(0).errorCode());
        assertEquals(2, partition(t).leader());
        assertArrayEquals(new int[] {2}, partition(t).isr());
        assertEquals(Errors.ELECTION_NOT_NEEDED, elect(ElectionType.UNCLEAN, "leaderless", 0));
    }

    @Test
    void balancingMovesLeadershipBackToPreferredReplicasInTheIsr() throws Exception {
        Uuid t = topic("balanced", List.of(1, 2, 3));
        expireSessionOf(1);
        get(controller.fenceExpiredBroker());
        heartbeat(1, false);
        assertEquals(0, get(controller.balanceLeaders()), "the preferred replica is not in the ISR yet");
        assertEquals(2, partition(t).leader());

        assertEquals(Errors.NONE, error(alter(t, 2, epochs[2], 1, 1, List.of(2, 3, 1))));
        assertEquals(1, get(controller.balanceLeaders()));
        assertEquals(1, partition(t).leader());
        assertEquals(0, get(controller.balanceLeaders()));
    }

    private Errors elect(ElectionType type, String topic, int partition) throws Exception {
        ElectLeadersResponseData response = get(controller.electLeaders(new ElectLeadersRequestData()
                .setElectionType(type.value).setTopicPartitions(new ElectLeadersRequestData.TopicPartitionsCollection(
                        List.of(new ElectLeadersRequestData.TopicPartitions().setTopic(topic)
                                .setPartitions(List.of(partition))).iterator()))));
        return Errors.forCode(response.replicaElectionResults().get(0).partitionResult().get(0).errorCode());
    }

    @Test
    void anUnregisteredBrokerLeavesTheClusterItsIsrsAndLeaderships() throws Exception {
        Uuid t = topic("retiring", List.of(3, 1, 2));
        get(controller.unregisterBroker(3));
        assertFalse(log.image().brokers().containsKey(3));
        assertEquals(1, partition(t).leader(), "its leadership moves");
        assertArrayEquals(new int[] {1, 2}, partition(t).isr());

        ExecutionException unknown = assertThrows(ExecutionException.class, () -> get(controller.unregisterBroker(3)));
        assertInstanceOf(BrokerIdNotRegisteredException.class, unknown.getCause());
        assertEquals(Errors.BROKER_ID_NOT_REGISTERED.code(), heartbeat(3, false).errorCode(),
                "a broker still running hears it must register again");
    }

    @Test
    void registrationChecksTheClusterAndLiveRegistrations() throws Exception {
        BrokerRegistrationRequestData foreign = BrokerRegistrations.request("another-cluster", 4, null);
        assertEquals(Errors.INCONSISTENT_CLUSTER_ID.code(), get(controller.registerBroker(foreign)).errorCode());

        BrokerRegistrationRequestData impostor = BrokerRegistrations.request(CLUSTER, 2, null);
        assertEquals(Errors.DUPLICATE_BROKER_REGISTRATION.code(), get(controller.registerBroker(impostor)).errorCode(),
                "broker 2's session is alive");

        BrokerRegistrationRequestData fresh = BrokerRegistrations.request(CLUSTER, 4, null);
        long epoch = get(controller.registerBroker(fresh)).brokerEpoch();
        assertEquals(epoch, get(controller.registerBroker(fresh)).brokerEpoch(), "a retry gets the same epoch");
    }
}
