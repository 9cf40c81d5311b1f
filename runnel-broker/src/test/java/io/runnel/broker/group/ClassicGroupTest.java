package io.runnel.broker.group;

import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.coordinator.CoordinatorRuntime;
import io.runnel.broker.coordinator.TransactionMarker;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.replica.ReplicationConfig;
import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.storage.LogManager;
import io.runnel.storage.LogManagerConfig;
import io.runnel.storage.VerificationGuard;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classic state machine and its persistence, on a real {@code __consumer_offsets} partition led by broker 1, with
 * the offsets committed in transactions.
 */
class ClassicGroupTest {
    private static final Uuid OFFSETS_TOPIC_ID = new Uuid(5, 5);
    private static final TopicPartition OFFSETS_PARTITION = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, 0);
    private static final short VERSION = 9;

    @TempDir
    Path dir;
    private LogManager logs;
    private ReplicaManager replicas;
    private GroupCoordinator coordinator;
    private CoordinatorRuntime runtime;

    @BeforeEach
    void start() {
        startWithInitialDelay(0);
    }

    private void startWithInitialDelay(int initialRebalanceDelayMs) {
        start(initialRebalanceDelayMs, Map.of());
    }

    private void start(int initialRebalanceDelayMs, Map<String, String> brokerConfigs) {
        logs = new LogManager(List.of(dir), LogManagerConfig.defaults(60_000));
        runtime = new CoordinatorRuntime(10_000);
        replicas = new ReplicaManager(1, logs, new TopicConfigResolver(brokerConfigs), null, ReplicationConfig.defaults(), null,
                () -> -1);
        coordinator = new GroupCoordinator(new GroupConfig(1, (short) 1, initialRebalanceDelayMs, 10, 300_000, 2, 4096,
                600_000, 600_000), replicas, null, runtime);
        replicas.addLeadershipListener(coordinator);
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new TopicRecord(Topic.GROUP_METADATA_TOPIC_NAME, OFFSETS_TOPIC_ID));
        delta.replay(new PartitionRecord(OFFSETS_TOPIC_ID, 0, new PartitionRegistration(new int[]{1}, new int[]{1}, 1, 0, 0)));
        replicas.onMetadataUpdate(MetadataImage.empty("cluster"), delta.apply(1));
    }

    @AfterEach
    void stop() {
        coordinator.close();
        runtime.close();
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
        CompletableFuture<?> leaderSync = inShard(g -> g.sync(sync(first.memberId(), 2, Map.of(second, new byte[]{7}))));
        awaitValue(() -> leaderSync.isDone() ? true : null);
        assertTrue(followerSync.isDone(), "members get the assignment once it is committed");
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
        }
        awaitCommitted(shard);
        synchronized (shard) {
            shard.deleteGroup("simple");
        }
        awaitCommitted(shard);

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
    void offsetsOfATransactionArePendingUntilItsCommitMarkerAcrossReloads() {
        TopicPartition tp = new TopicPartition("t", 1);
        GroupShard shard = loadedShard();
        write(shard, s -> s.commitTransactionalOffsets("g", 1000, (short) 0, Map.of(tp, new CommittedOffset(5, -1, "", 1L)), null));
        synchronized (shard) {
            assertEquals(Map.of(), shard.committedOffsets("g"), "not visible while the transaction is open");
            assertEquals(Set.of(tp), shard.pendingOffsets("g"));
        }

        GroupShard reloaded = reload();
        synchronized (reloaded) {
            assertEquals(Set.of(tp), reloaded.pendingOffsets("g"), "a replay sees the transactional batch");
        }
        coordinator.completeTransaction(0, new TransactionMarker(1000, (short) 0, 0, true, 0)).join();
        synchronized (reloaded) {
            assertEquals(new CommittedOffset(5, -1, "", 1L), reloaded.committedOffsets("g").get(tp));
            assertEquals(Set.of(), reloaded.pendingOffsets("g"));
        }

        GroupShard again = reload();
        synchronized (again) {
            assertEquals(new CommittedOffset(5, -1, "", 1L), again.committedOffsets("g").get(tp), "the marker is replayed");
        }
    }

    @Test
    void aTransactionalCommitVerifiedBeforeItsTransactionEndedIsRefused() {
        TopicPartition tp = new TopicPartition("t", 4);
        GroupShard shard = loadedShard();
        Partition offsets = replicas.leaderPartition(OFFSETS_PARTITION);
        VerificationGuard confirmed = offsets.startTransactionVerification(3000, (short) 0);
        write(shard, s -> s.commitTransactionalOffsets("g", 3000, (short) 0,
                Map.of(tp, new CommittedOffset(5, -1, "", 1L)), confirmed));
        synchronized (shard) {
            assertEquals(Set.of(tp), shard.pendingOffsets("g"), "a commit presenting its guard is written");
        }

        VerificationGuard stale = offsets.startTransactionVerification(3001, (short) 0);
        // The producer's transaction ends (an abort marker) between the verification and the commit.
        coordinator.completeTransaction(0, new TransactionMarker(3001, (short) 0, 0, false, 0)).join();
        long end = offsets.log().logEndOffset();
        CompletionException refused = assertThrows(CompletionException.class, () -> write(shard,
                s -> s.commitTransactionalOffsets("g", 3001, (short) 0, Map.of(tp, new CommittedOffset(7, -1, "", 1L)),
                        stale)));
        assertInstanceOf(InvalidTxnStateException.class, refused.getCause());
        assertEquals(end, offsets.log().logEndOffset(), "nothing written after the marker");
    }

    @Test
    void anAbortDropsPendingOffsetsAndALaterPlainCommitOutlivesAnEarlierTransactionalOne() {
        TopicPartition tp = new TopicPartition("t", 2);
        GroupShard shard = loadedShard();
        write(shard, s -> s.commitTransactionalOffsets("g", 1, (short) 0, Map.of(tp, new CommittedOffset(5, -1, "", 1L)), null));
        write(shard, s -> s.commitOffsets("g", Map.of(tp, new CommittedOffset(9, -1, "", 2L))));
        coordinator.completeTransaction(0, new TransactionMarker(1, (short) 0, 0, true, 0)).join();
        write(shard, s -> s.commitTransactionalOffsets("g", 2, (short) 0, Map.of(tp, new CommittedOffset(20, -1, "", 3L)), null));
        coordinator.completeTransaction(0, new TransactionMarker(2, (short) 0, 0, false, 0)).join();
        synchronized (shard) {
            assertEquals(9, shard.committedOffsets("g").get(tp).offset());
            assertEquals(Set.of(), shard.pendingOffsets("g"));
        }
        GroupShard reloaded = reload();
        synchronized (reloaded) {
            assertEquals(9, reloaded.committedOffsets("g").get(tp).offset(), "a replay applies the records in log order");
        }
    }

    @Test
    void transactionalCommitsOfAnOlderProducerEpochAreFencedAndDeletingTheGroupDropsPendingOnes() {
        TopicPartition tp = new TopicPartition("t", 3);
        GroupShard shard = loadedShard();
        write(shard, s -> s.commitTransactionalOffsets("h", 7, (short) 1, Map.of(tp, new CommittedOffset(1, -1, "", 1L)), null));
        CompletionException fenced = assertThrows(CompletionException.class, () -> write(shard,
                s -> s.commitTransactionalOffsets("h", 7, (short) 0, Map.of(tp, new CommittedOffset(2, -1, "", 1L)), null)));
        assertInstanceOf(InvalidProducerEpochException.class, fenced.getCause());

        write(shard, s -> s.deleteGroup("h"));
        coordinator.completeTransaction(0, new TransactionMarker(7, (short) 1, 0, true, 0)).join();
        synchronized (shard) {
            assertEquals(Map.of(), shard.committedOffsets("h"), "the tombstone dropped the pending offset");
        }
    }

    /** Starts the write under the shard's lock and waits outside it until it is committed and applied. */
    private static void write(GroupShard shard, Function<GroupShard, CompletableFuture<Void>> write) {
        CompletableFuture<Void> written;
        synchronized (shard) {
            written = write.apply(shard);
        }
        written.join();
    }

    private GroupShard reload() {
        coordinator.onResign(OFFSETS_PARTITION);
        coordinator.onBecomeLeader(replicas.leaderPartition(OFFSETS_PARTITION));
        return loadedShard();
    }

    @Test
    void aFailedWriteLeavesTheEarlierStateAndIsAnsweredCoordinatorNotAvailable() {
        stop();
        // One replica cannot satisfy min.insync.replicas=2: every write is refused, as with a shrunken ISR.
        start(0, Map.of("min.insync.replicas", "2"));
        TopicPartition tp = new TopicPartition("t", 0);
        GroupShard shard = loadedShard();
        CompletableFuture<Void> commit;
        synchronized (shard) {
            commit = shard.commitOffsets("simple", Map.of(tp, new CommittedOffset(1, -1, "", 1L)));
        }
        CompletionException failed = assertThrows(CompletionException.class, commit::join);
        assertInstanceOf(CoordinatorNotAvailableException.class, failed.getCause());
        synchronized (shard) {
            assertTrue(shard.committedOffsets("simple").isEmpty());
            assertEquals(null, shard.group("simple"));
        }

        String memberId = memberIdRequired("a");
        JoinGroupResponseData joined = inShard(g -> g.join(join(memberId, "range"), VERSION, "a", "/h")).join();
        CompletableFuture<?> synced = inShard(g -> g.sync(sync(memberId, joined.generationId(), Map.of(memberId, new byte[]{1}))));
        assertInstanceOf(CoordinatorNotAvailableException.class, assertThrows(CompletionException.class, synced::join).getCause());
        assertEquals("CompletingRebalance", inShard(ClassicGroup::stateName), "not Stable without its assignment");
    }

    @Test
    void offsetsOfEmptyGroupsExpireAfterTheRetention() {
        TopicPartition tp = new TopicPartition("t", 0);
        JoinGroupResponseData a = joinAsNewMember("a");
        sync(a, Map.of());
        GroupShard shard = loadedShard();
        long now = System.currentTimeMillis();
        synchronized (shard) {
            shard.commitOffsets("g", Map.of(tp, new CommittedOffset(1, -1, "", now)));
            shard.commitOffsets("simple", Map.of(tp, new CommittedOffset(1, -1, "", now)));
        }
        awaitCommitted(shard);
        shard.expireOffsets(now + 599_999);
        awaitCommitted(shard);
        synchronized (shard) {
            assertEquals(1, shard.committedOffsets("simple").size(), "not yet expired");
        }
        shard.expireOffsets(now + 600_000);
        awaitCommitted(shard);
        synchronized (shard) {
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
        CompletableFuture<?> synced = inShard(g -> g.sync(sync(joined.memberId(), joined.generationId(), assignments)));
        awaitValue(() -> synced.isDone() ? true : null);
        synced.join();
    }

    /** Waits, outside the shard's lock, until every write the shard made so far is committed and applied. */
    private static void awaitCommitted(GroupShard shard) {
        CompletableFuture<Void> written;
        synchronized (shard) {
            written = shard.whenCommitted(CompletableFuture.completedFuture(null));
        }
        written.join();
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
