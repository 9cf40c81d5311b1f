package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerCalls.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.BrokerRegistrations;
import io.runnel.metadata.Controller;
import io.runnel.metadata.PartitionRegistration;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AssignReplicasToDirsRequestData;
import org.apache.kafka.common.message.AssignReplicasToDirsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AssignReplicasToDirs to the lost directory: the broker leaves the partitions' ISR and leadership, nothing else. */
class LostReplicasTest {
    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final QuorumController controller = new QuorumController(log, 1, (short) 3, 1, 10_000, 9_000, System::nanoTime);
    private long[] epochs;

    @BeforeEach
    void registerThreeBrokers() throws Exception {
        epochs = BrokerRegistrations.registerUnfenced(controller, "test-cluster", 3);
    }

    @AfterEach
    void close() {
        controller.close();
    }

    private AssignReplicasToDirsResponseData lose(int broker, long epoch, Uuid dir, Uuid topicId, int partition)
            throws Exception {
        return get(controller.assignReplicasToDirs(new AssignReplicasToDirsRequestData().setBrokerId(broker)
                .setBrokerEpoch(epoch).setDirectories(List.of(new AssignReplicasToDirsRequestData.DirectoryData()
                        .setId(dir).setTopics(List.of(new AssignReplicasToDirsRequestData.TopicData()
                                .setTopicId(topicId).setPartitions(List.of(
                                        new AssignReplicasToDirsRequestData.PartitionData()
                                                .setPartitionIndex(partition)))))))));
    }

    private static short partitionError(AssignReplicasToDirsResponseData response) {
        return response.directories().get(0).topics().get(0).partitions().get(0).errorCode();
    }

    @Test
    void aLostLeaderReplicaLeavesTheIsrAndItsLeadershipMovesToAnotherMember() throws Exception {
        Uuid led = ControllerCalls.createTopic(controller, "led", List.of(2, 1, 3));
        Uuid followed = ControllerCalls.createTopic(controller, "followed", List.of(1, 2, 3));
        assertEquals(Errors.NONE.code(), partitionError(lose(2, epochs[2], Controller.LOST_DIRECTORY, led, 0)));
        PartitionRegistration p = ControllerCalls.firstPartition(log, led);
        assertEquals(1, p.leader(), "the next replica in the ISR leads");
        assertArrayEquals(new int[] {1, 3}, p.isr());
        assertEquals(Errors.NONE.code(), partitionError(lose(2, epochs[2], Controller.LOST_DIRECTORY, followed, 0)));
        PartitionRegistration f = ControllerCalls.firstPartition(log, followed);
        assertEquals(1, f.leader(), "the leader stays");
        assertArrayEquals(new int[] {1, 3}, f.isr());
    }

    @Test
    void otherDirectoriesStaleEpochsAndForeignPartitionsChangeNothing() throws Exception {
        Uuid topic = ControllerCalls.createTopic(controller, "t", List.of(1, 2));
        PartitionRegistration before = ControllerCalls.firstPartition(log, topic);
        assertEquals(Errors.NONE.code(), partitionError(lose(1, epochs[1], Uuid.randomUuid(), topic, 0)));
        assertEquals(Errors.STALE_BROKER_EPOCH.code(), lose(1, epochs[1] + 1, Controller.LOST_DIRECTORY, topic, 0)
                .errorCode());
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(),
                partitionError(lose(3, epochs[3], Controller.LOST_DIRECTORY, topic, 0)));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                partitionError(lose(1, epochs[1], Controller.LOST_DIRECTORY, topic, 5)));
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(),
                partitionError(lose(1, epochs[1], Controller.LOST_DIRECTORY, Uuid.randomUuid(), 0)));
        assertEquals(before, ControllerCalls.firstPartition(log, topic));
    }
}
