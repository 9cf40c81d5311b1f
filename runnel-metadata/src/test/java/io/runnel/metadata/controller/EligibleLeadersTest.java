package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerCalls.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.BrokerRegistrations;
import io.runnel.metadata.ConfigChange;
import io.runnel.metadata.PartitionRegistration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Eligible leader replicas (KIP-966) on the controller: replicas 1, 2, 3 of a topic with min.insync.replicas 2 lose
 * their brokers one by one, by controlled shutdown, and get them back, cleanly or not.
 */
class EligibleLeadersTest {
    private static final String CLUSTER = "test-cluster";
    private static final int[] NONE = new int[0];
    private static final long SESSION_MS = 9_000;

    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final AtomicLong nanos = new AtomicLong();
    private final QuorumController controller = new QuorumController(log, 1, (short) 3, 1, 10_000, SESSION_MS,
            nanos::get);
    private long[] epochs;
    private Uuid topic;

    @BeforeEach
    void threeReplicasWithMinInsyncReplicasTwo() throws Exception {
        epochs = BrokerRegistrations.registerUnfenced(controller, CLUSTER, 3);
        topic = ControllerCalls.createTopic(controller, "t", List.of(1, 2, 3));
        get(controller.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "t"),
                List.of(new ConfigChange("min.insync.replicas", AlterConfigOp.OpType.SET, "2"))), false));
    }

    @AfterEach
    void close() {
        controller.close();
    }

    @Test
    void whatLeavesABelowMinIsrIsEligibleAndAnEligibleReplicaLeadsOnceBack() throws Exception {
        shutDown(3);
        assertState(new int[] {1, 2}, NONE, NONE, 1, "at min.insync.replicas nothing outside the ISR is eligible");
        shutDown(2);
        assertState(new int[] {1}, new int[] {2}, NONE, 1, "2 left a below-min ISR: it holds every committed record");
        shutDown(1);
        assertState(NONE, new int[] {2, 1}, NONE, -1, "the last member leaves the ISR for the ELR");

        unfence(2);
        assertState(new int[] {2}, new int[] {1}, NONE, 2, "2 comes back: it leads, alone in the ISR");
        unfence(1);
        assertEquals(2, partition().leader(), "1 comes back to a partition with a leader");
        PartitionRegistration p = partition();
        get(controller.alterPartition(new AlterPartitionRequestData().setBrokerId(2).setBrokerEpoch(epochs[2])
                .setTopics(List.of(new AlterPartitionRequestData.TopicData().setTopicId(topic)
                        .setPartitions(List.of(new AlterPartitionRequestData.PartitionData().setPartitionIndex(0)
                                .setLeaderEpoch(p.leaderEpoch()).setPartitionEpoch(p.partitionEpoch())
                                .setNewIsrWithEpochs(List.of(
                                        new AlterPartitionRequestData.BrokerState().setBrokerId(2),
                                        new AlterPartitionRequestData.BrokerState().setBrokerId(1)))))))));
        assertState(new int[] {2, 1}, NONE, NONE, 2, "back at min.insync.replicas: the ELR is cleared");
    }

    @Test
    void aBrokerBackFromAnUncleanShutdownIsNoLongerEligibleAndTheOthersWaitForAnEligibleOne() throws Exception {
        shutDown(3);
        shutDown(2);
        shutDown(1);
        registerAgain(2, -1);
        assertState(NONE, new int[] {1}, new int[] {2}, -1, "2 lost unflushed records: only the last known ELR");
        unfence(2);
        assertEquals(-1, partition().leader(), "2 may not lead");

        registerAgain(1, epochs[1]);
        unfence(1);
        assertState(new int[] {1}, NONE, new int[] {2}, 1, "1 shut down cleanly: it leads");
    }

    @Test
    void anUncleanElectionTakesAReplicaOutsideTheElrAndClearsIt() throws Exception {
        shutDown(3);
        shutDown(2);
        shutDown(1);
        registerAgain(3, epochs[3]);
        unfence(3);
        assertEquals(-1, partition().leader(), "3 left while the ISR was at min.insync.replicas: not eligible");

        get(controller.electLeaders(new ElectLeadersRequestData().setElectionType(ElectionType.UNCLEAN.value)
                .setTopicPartitions(new ElectLeadersRequestData.TopicPartitionsCollection(List.of(
                        new ElectLeadersRequestData.TopicPartitions().setTopic("t").setPartitions(List.of(0)))
                        .iterator()))));
        assertState(new int[] {3}, NONE, NONE, 3, "an unclean election clears the ELR");
    }

    @Test
    void theLastIsrMemberBackFromAnUncleanShutdownBeforeItWasFencedStaysInTheIsrAndLeadsAgain() throws Exception {
        shutDown(3);
        shutDown(2);
        // 1 crashes and comes back after its session ended, before the controller fenced it.
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(SESSION_MS + 1));
        registerAgain(1, -1);
        assertState(new int[] {1}, new int[] {2}, NONE, -1, "1 crashed: it loses the leadership, not its ISR seat");
        unfence(1);
        assertEquals(1, partition().leader(), "the only replica known to hold the records leads again");
    }

    @Test
    void theLastEligibleReplicaStaysEligibleAfterAnUncleanShutdownRatherThanLeaveThePartitionToAnOperator()
            throws Exception {
        shutDown(3);
        shutDown(2);
        shutDown(1);
        registerAgain(2, -1);
        assertState(NONE, new int[] {1}, new int[] {2}, -1, "1 is still eligible: 2 is not");
        registerAgain(1, -1);
        assertState(NONE, new int[] {1}, new int[] {2}, -1, "nothing else may lead: 1 stays eligible");
        unfence(1);
        assertEquals(1, partition().leader());
    }

    /** A controlled shutdown: the broker asks to shut down and is fenced. */
    private void shutDown(int id) throws Exception {
        get(controller.brokerHeartbeat(new BrokerHeartbeatRequestData().setBrokerId(id).setBrokerEpoch(epochs[id])
                .setCurrentMetadataOffset(Long.MAX_VALUE).setWantShutDown(true)));
    }

    /** A new process of broker {@code id} registers, telling the epoch its clean shutdown recorded (or -1). */
    private void registerAgain(int id, long previousBrokerEpoch) throws Exception {
        BrokerRegistrationRequestData request = BrokerRegistrations.request(CLUSTER, id, null)
                .setPreviousBrokerEpoch(previousBrokerEpoch);
        BrokerRegistrationResponseData registered = get(controller.registerBroker(request));
        assertEquals(Errors.NONE.code(), registered.errorCode());
        epochs[id] = registered.brokerEpoch();
    }

    private void unfence(int id) throws Exception {
        get(controller.brokerHeartbeat(new BrokerHeartbeatRequestData().setBrokerId(id).setBrokerEpoch(epochs[id])
                .setCurrentMetadataOffset(Long.MAX_VALUE)));
    }

    private PartitionRegistration partition() {
        return ControllerCalls.firstPartition(log, topic);
    }

    private void assertState(int[] isr, int[] elr, int[] lastKnownElr, int leader, String why) {
        PartitionRegistration p = partition();
        assertArrayEquals(isr, p.isr(), why + ": ISR of " + p);
        assertArrayEquals(elr, p.elr(), why + ": ELR of " + p);
        assertArrayEquals(lastKnownElr, p.lastKnownElr(), why + ": last known ELR of " + p);
        assertEquals(leader, p.leader(), why + ": leader of " + p);
    }
}
