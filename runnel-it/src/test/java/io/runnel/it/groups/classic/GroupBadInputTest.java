package io.runnel.it.groups.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What must be shown 6 (classic groups and offsets): commits for unknown topics and partitions, with a wrong
 * generation or member, oversize metadata; unknown groups for OffsetFetch, DescribeGroups, DeleteGroups; deleting a
 * group or offsets still in use; an out-of-bounds session timeout. Each answer is the precise Kafka error.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupBadInputTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private RunnelCluster cluster;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().brokerProperty("offsets.topic.num.partitions", "3").start();
        cluster.createTopic("existing", 1);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void commitsForUnknownTopicsOrPartitionsAreRefusedPerPartition() {
        TopicPartition unknownTopic = new TopicPartition("no-such-topic", 0);
        TopicPartition unknownPartition = new TopicPartition("existing", 7);
        TopicPartition valid = new TopicPartition("existing", 0);
        try (Admin admin = cluster.admin()) {
            var result = admin.alterConsumerGroupOffsets("bad-commits", Map.of(unknownTopic, new OffsetAndMetadata(1),
                    unknownPartition, new OffsetAndMetadata(1), valid, new OffsetAndMetadata(1)));
            Futures.assertFailsWith(UnknownTopicOrPartitionException.class, result.partitionResult(unknownTopic));
            Futures.assertFailsWith(UnknownTopicOrPartitionException.class, result.partitionResult(unknownPartition));
            Futures.get(result.partitionResult(valid));
            assertEquals(Map.of(valid, new OffsetAndMetadata(1, "")),
                    Futures.get(admin.listConsumerGroupOffsets("bad-commits").partitionsToOffsetAndMetadata()));
        }
    }

    @Test
    void oversizeMetadataIsRefused() {
        TopicPartition tp = new TopicPartition("existing", 0);
        try (Admin admin = cluster.admin()) {
            var result = admin.alterConsumerGroupOffsets("big-metadata", Map.of(tp, new OffsetAndMetadata(1, "x".repeat(4097))));
            Futures.assertFailsWith(OffsetMetadataTooLarge.class, result.partitionResult(tp));
            Futures.get(admin.alterConsumerGroupOffsets("big-metadata",
                    Map.of(tp, new OffsetAndMetadata(1, "x".repeat(4096)))).all());
        }
    }

    @Test
    void commitsAndHeartbeatsFromAStaleGenerationOrUnknownMemberAreRefused() throws Exception {
        try (GroupWorker member = new GroupWorker(cluster, "member", "live-group", "existing", new Properties())) {
            Await.awaitCondition(WAIT, () -> member.generation > 0 && !member.memberId.isEmpty(), "the member joined");
            int generation = member.generation;
            assertEquals(Errors.ILLEGAL_GENERATION, commit("live-group", member.memberId, generation + 5));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, commit("live-group", "not-a-member", generation));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, commit("live-group", "", -1), "a simple commit to a group with members");
            assertEquals(Errors.NONE, commit("live-group", member.memberId, generation));
            assertEquals(Errors.ILLEGAL_GENERATION, heartbeat("live-group", member.memberId, generation + 1));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat("live-group", "not-a-member", generation));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, heartbeat("no-such-group", "m", 1));
            assertEquals(Errors.ILLEGAL_GENERATION, commit("no-such-group", "m", 1));

            try (Admin admin = cluster.admin()) {
                Futures.assertFailsWith(GroupNotEmptyException.class,
                        admin.deleteConsumerGroups(List.of("live-group")).all());
                Futures.assertFailsWith(GroupSubscribedToTopicException.class, admin.deleteConsumerGroupOffsets(
                        "live-group", Set.of(new TopicPartition("existing", 0))).all());
            }
        }
    }

    @Test
    void sessionTimeoutOutsideTheBrokerBoundsIsRefused() throws Exception {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("timeouts").setMemberId("")
                .setProtocolType("consumer").setProtocols(protocols).setSessionTimeoutMs(1000).setRebalanceTimeoutMs(1000);
        JoinGroupResponse response = (JoinGroupResponse) GroupWire.sendToCoordinator(cluster.bootstrapServers(),
                "timeouts", new JoinGroupRequest.Builder(join).build((short) 9));
        assertEquals(Errors.INVALID_SESSION_TIMEOUT, response.error());
    }

    @Test
    void anEmptyTransactionalIdOrAnUnknownKeyTypeIsAnInvalidRequest() throws Exception {
        FindCoordinatorResponse empty = (FindCoordinatorResponse) GroupWire.send(cluster.bootstrapServers(),
                new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData().setKey("")
                        .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())).build((short) 3));
        assertEquals(Errors.INVALID_REQUEST, empty.error());
        FindCoordinatorResponse unknownType = (FindCoordinatorResponse) GroupWire.send(cluster.bootstrapServers(),
                new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData().setKey("tx").setKeyType((byte) 5))
                        .build((short) 3));
        assertEquals(Errors.INVALID_REQUEST, unknownType.error());
        // Each key of a batch is answered on its own: the valid one is found (or its topic is still being created).
        FindCoordinatorResponse batched = (FindCoordinatorResponse) GroupWire.send(cluster.bootstrapServers(),
                new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData().setCoordinatorKeys(List.of("", "tx"))
                        .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id())).build((short) 6));
        assertEquals(2, batched.data().coordinators().size());
        assertEquals(Errors.INVALID_REQUEST.code(), batched.data().coordinators().get(0).errorCode());
        assertTrue(Set.of(Errors.NONE.code(), Errors.COORDINATOR_NOT_AVAILABLE.code())
                .contains(batched.data().coordinators().get(1).errorCode()), "the valid key: " + batched.data());
    }

    @Test
    void unknownGroupsHaveNoOffsetsAndCannotBeDescribedOrDeleted() {
        try (Admin admin = cluster.admin()) {
            assertTrue(Futures.get(admin.listConsumerGroupOffsets("never-seen").partitionsToOffsetAndMetadata()).isEmpty());
            Futures.assertFailsWith(GroupIdNotFoundException.class,
                    admin.describeConsumerGroups(List.of("never-seen")).describedGroups().get("never-seen"));
            Futures.assertFailsWith(GroupIdNotFoundException.class, admin.deleteConsumerGroups(List.of("never-seen")).all());
        }
    }

    private Errors commit(String group, String memberId, int generation) throws Exception {
        OffsetCommitRequestData data = new OffsetCommitRequestData().setGroupId(group).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName("existing").setPartitions(List.of(
                        new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(0)))));
        OffsetCommitResponse response = (OffsetCommitResponse) GroupWire.sendToCoordinator(cluster.bootstrapServers(),
                group, OffsetCommitRequest.Builder.forTopicNames(data).build((short) 9));
        return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
    }

    private Errors heartbeat(String group, String memberId, int generation) throws Exception {
        HeartbeatResponse response = (HeartbeatResponse) GroupWire.sendToCoordinator(cluster.bootstrapServers(), group,
                new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId(group).setMemberId(memberId)
                        .setGenerationId(generation)).build((short) 4));
        return response.error();
    }
}
