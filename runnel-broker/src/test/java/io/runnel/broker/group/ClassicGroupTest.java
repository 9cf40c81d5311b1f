package io.runnel.broker.group;

import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.replica.ReplicationConfig;
import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.storage.LogManager;
import io.runnel.storage.LogManagerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classic state machine and its persistence, on a real {@code __consumer_offsets} partition led by broker 1. */
class ClassicGroupTest {
    private static final Uuid OFFSETS_TOPIC_ID = new Uuid(5, 5);
    private static final TopicPartition OFFSETS_PARTITION = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, 0);
    private static final short VERSION = 9;

    @TempDir
    Path dir;
    private LogManager logs;
    private ReplicaManager replicas;
    private GroupCoordinator coordinator;

    @BeforeEach
    void start() {
        startWithInitialDelay(0);
    }

    private void startWithInitialDelay(int initialRebalanceDelayMs) {
        logs = new LogManager(List.of(dir), LogManagerConfig.defaults(60_000));
        replicas = new ReplicaManager(1, logs, new TopicConfigResolver(Map.of()), null, ReplicationConfig.defaults(), null,
                () -> -1);
        coordinator = new GroupCoordinator(new GroupConfig(1, (short) 1, initialRebalanceDelayMs, 10, 300_000, 2, 4096,
                600_000, 600_000), replicas, null);
        replicas.addLeadershipListener(coordinator);
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new TopicRecord(Topic.GROUP_METADATA_TOPIC_NAME, OFFSETS_TOPIC_ID));
        delta.replay(new PartitionRecord(OFFSETS_TOPIC_ID, 0, new PartitionRegistration(new int[]{1}, new int[]{1}, 1, 0, 0)));
        replicas.onMetadataUpdate(MetadataImage.empty("cluster"), delta.apply(1));
    }

    @AfterEach
    void stop() {
        coordinator.close();
        replicas.close();
        logs.close();
    }

    @Test
    void membersJoinSyncAndRebalanceWhenAnotherJoins() {
        JoinGroupResponseData first = joinAsNewMember("a");
        assertEquals(1, first.generationId());
        assertEquals(first.memberId(), first.leader());
        assertEquals(1, first.members().size());
        sync(first, Map.of(first.memberId(), new byte[]{1}));
        inShard(g -> {
            g.heartbeat(first.memberId(), null, 1);
            return null;
        });

        String second = memberIdRequired("b");
        CompletableFuture<JoinGroupResponseData> secondJoin = inShard(g -> g.join(join(second, "range"), VERSION, "b", "/h"));
        assertFalse(secondJoin.isDone(), "the second member waits for the first to rejoin");
        assertThrows(RebalanceInProgressException.class, () -> inShard(g -> {
            g.heartbeat(first.memberId(), null, 1);
            return null;
        }));
        CompletableFuture<JoinGroupResponseData> rejoin = inShard(g -> g.join(join(first.memberId(), "range"), VERSION, "a", "/h"));
        assertTrue(rejoin.isDone() && secondJoin.isDone());
        assertEquals(2, rejoin.join().generationId());
        assertEquals(2, rejoin.join().members().size(), "the leader gets every member");
        assertEquals(0, secondJoin.join().members().size());
        assertThrows(IllegalGenerationException.class, () -> inShard(g -> g.sync(sync(first.memberId(), 1, Map.of()))));

        CompletableFuture<?> followerSync = inShard(g -> g.sync(sync(second, 2, Map.of())));
        assertFalse(followerSync.isDone(), "members wait for the leader's assignment");
        inShard(g -> g.sync(sync(first.memberId(), 2, Map.of(second, new byte[]{7}))));
        assertTrue(followerSync.isDone());
        assertEquals("Stable", inShard(ClassicGroup::stateName));
    }

    @Test
    void theFirstRebalanceOfAnEmptyGroupWaitsTheInitialDelayForMoreMembers() {
        stop();
        startWithInitialDelay(1000);
        String a = memberIdRequired("a");
        CompletableFuture<JoinGroupResponseData> aJoin = inShard(g -> g.join(join(a, "range"), VERSION, "a", "/h"));
        String b = memberIdRequired("b");
        CompletableFuture<JoinGroupResponseData> bJoin = inShard(g -> g.join(join(b, "range"), VERSION, "b", "/h"));
        assertFalse(aJoin.isDone(), "all members joined, but the initial delay is not over");
        JoinGroupResponseData joined = awaitValue(() -> aJoin.isDone() ? aJoin.join() : null);
        assertEquals(1, joined.generationId());
        assertEquals(2, joined.members().size(), "one generation with both members");
        assertTrue(bJoin.isDone());
    }

    @Test
    void protocolsMustOverlapAndTheGroupSizeIsBounded() {
        joinAsNewMember("a");
        String b = memberIdRequired("b");
        assertThrows(InconsistentGroupProtocolException.class, () -> inShard(g -> g.join(join(b, "roundrobin"), VERSION, "b", "/h")));
        inShard(g -> g.join(join(b, "range"), VERSION, "b", "/h"));
        assertThrows(GroupMaxSizeReachedException.class, () -> memberIdRequired("c"));
    }

    @Test
    void leavingAndUnknownMembers() {
        JoinGroupResponseData a = joinAsNewMember("a");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, inShard(g -> g.leave("nobody", null)));
        assertThrows(UnknownMemberIdException.class, () -> inShard(g -> g.sync(sync("nobody", 1, Map.of()))));
        assertEquals(Errors.NONE, inShard(g -> g.leave(a.memberId(), null)));
        assertEquals("Empty", inShard(ClassicGroup::stateName));
    }

    @Test
    void groupsAndOffsetsAreRebuiltWhenLeadershipReturns() {
        JoinGroupResponseData a = joinAsNewMember("a");
        sync(a, Map.of(a.memberId(), new byte[]{4, 2}));
        TopicPartition tp = new TopicPartition("t", 3);
        GroupShard shard = coordinator.shardFor("g");
        synchronized (shard) {
            shard.commitOffsets("g", Map.of(tp, new CommittedOffset(42, 1, "m", 1L)));
            shard.commitOffsets("simple", Map.of(tp, new CommittedOffset(7, -1, "", 1L)));
            shard.deleteGroup("simple");
        }

        coordinator.onResign(OFFSETS_PARTITION);
        coordinator.onBecomeLeader(replicas.leaderPartition(OFFSETS_PARTITION));

        GroupShard reloaded = loadedShard();
        synchronized (reloaded) {
            assertEquals(new CommittedOffset(42, 1, "m", 1L), reloaded.committedOffsets("g").get(tp));
            assertEquals(null, reloaded.group("simple"));
            ClassicGroup group = reloaded.classicGroup("g", false);
            assertEquals("Stable", group.stateName());
            assertEquals(1, group.generationId());
            assertArrayEquals(new byte[]{4, 2}, group.describe().members().get(0).memberAssignment());
        }
    }

    @Test
    void offsetsOfEmptyGroupsExpireAfterTheRetention() {
        TopicPartition tp = new TopicPartition("t", 0);
        JoinGroupResponseData a = joinAsNewMember("a");
        sync(a, Map.of());
        GroupShard shard = loadedShard();
        synchronized (shard) {
            long now = System.currentTimeMillis();
            shard.commitOffsets("g", Map.of(tp, new CommittedOffset(1, -1, "", now)));
            shard.commitOffsets("simple", Map.of(tp, new CommittedOffset(1, -1, "", now)));
            shard.expireOffsets(now + 599_999);
            assertEquals(1, shard.committedOffsets("simple").size(), "not yet expired");
            shard.expireOffsets(now + 600_000);
            assertTrue(shard.committedOffsets("simple").isEmpty());
            assertEquals(null, shard.group("simple"), "an empty group without offsets is removed");
            assertEquals(1, shard.committedOffsets("g").size(), "a group with members keeps its offsets");
        }
    }

    @Test
    void aSilentMemberIsExpiredAfterItsSessionTimeout() {
        JoinGroupResponseData a = joinAsNewMember("a", 50, 60_000);
        sync(a, Map.of());
        awaitValue(() -> "Empty".equals(inShard(ClassicGroup::stateName)) ? true : null);
        assertThrows(UnknownMemberIdException.class, () -> inShard(g -> {
            g.heartbeat(a.memberId(), null, 1);
            return null;
        }));
    }

    @Test
    void membersNotRejoiningWithinTheRebalanceTimeoutAreRemoved() {
        JoinGroupResponseData a = joinAsNewMember("a", 30_000, 200);
        sync(a, Map.of());
        String b = memberIdRequired("b");
        CompletableFuture<JoinGroupResponseData> bJoin = inShard(g -> g.join(join(b, "range", 30_000, 200), VERSION, "b", "/h"));
        assertFalse(bJoin.isDone());
        // a never rejoins: after the rebalance timeout the generation goes on without it.
        JoinGroupResponseData joined = awaitValue(() -> bJoin.isDone() ? bJoin.join() : null);
        assertEquals(2, joined.generationId());
        assertEquals(b, joined.leader());
        assertEquals(1, joined.members().size());
        assertThrows(UnknownMemberIdException.class, () -> inShard(g -> {
            g.heartbeat(a.memberId(), null, 2);
            return null;
        }));
    }

    private JoinGroupResponseData joinAsNewMember(String client) {
        return joinAsNewMember(client, 30_000, 60_000);
    }

    private JoinGroupResponseData joinAsNewMember(String client, int sessionTimeoutMs, int rebalanceTimeoutMs) {
        String memberId = memberIdRequired(client);
        CompletableFuture<JoinGroupResponseData> joined = inShard(g -> g.join(join(memberId, "range", sessionTimeoutMs,
                rebalanceTimeoutMs), VERSION, client, "/h"));
        assertTrue(joined.isDone());
        return joined.join();
    }

    private String memberIdRequired(String client) {
        JoinGroupResponseData response = inShard(g -> g.join(join("", "range"), VERSION, client, "/h")).join();
        assertEquals(Errors.MEMBER_ID_REQUIRED.code(), response.errorCode());
        return response.memberId();
    }

    private void sync(JoinGroupResponseData joined, Map<String, byte[]> assignments) {
        assertTrue(inShard(g -> g.sync(sync(joined.memberId(), joined.generationId(), assignments))).isDone());
    }

    private static SyncGroupRequestData sync(String memberId, int generation, Map<String, byte[]> assignments) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId("g").setMemberId(memberId).setGenerationId(generation);
        assignments.forEach((m, a) -> request.assignments().add(new SyncGroupRequestAssignment().setMemberId(m).setAssignment(a)));
        return request;
    }

    private static JoinGroupRequestData join(String memberId, String protocol) {
        return join(memberId, protocol, 30_000, 60_000);
    }

    private static JoinGroupRequestData join(String memberId, String protocol, int sessionTimeoutMs, int rebalanceTimeoutMs) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName(protocol).setMetadata(new byte[]{1}));
        return new JoinGroupRequestData().setGroupId("g").setMemberId(memberId).setProtocolType("consumer")
                .setProtocols(protocols).setSessionTimeoutMs(sessionTimeoutMs).setRebalanceTimeoutMs(rebalanceTimeoutMs);
    }

    private <T> T inShard(java.util.function.Function<ClassicGroup, T> action) {
        GroupShard shard = loadedShard();
        synchronized (shard) {
            return action.apply(shard.classicGroup("g", true));
        }
    }

    private GroupShard loadedShard() {
        return awaitValue(() -> {
            try {
                return coordinator.shardFor("g");
            } catch (ApiException e) {
                return null;
            }
        });
    }

    private static <T> T awaitValue(Supplier<T> supplier) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (T value = supplier.get(); ; value = supplier.get()) {
            if (value != null) {
                return value;
            }
            assertTrue(System.nanoTime() < deadline, "timed out");
            LockSupport.parkNanos(10_000_000L);
        }
    }
}
