package io.runnel.broker.replica;

import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.broker.metrics.ReplicaManagerMetrics;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.EpochEndOffset;
import io.runnel.storage.LogConfig;
import io.runnel.storage.LogManager;
import io.runnel.storage.LogManagerConfig;
import io.runnel.storage.LogSlice;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.message.AlterPartitionRequestData.BrokerState;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader and follower sides of ISR replication on two real logs (brokers 1 and 2), the follower's fetches
 * played by hand against the leader as the Fetch handler and the replica fetcher do them, with a controller that
 * answers AlterPartition when the test says.
 */
class PartitionReplicationTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final Uuid TOPIC_ID = new Uuid(7, 7);
    private static final long LAG_MS = 30_000;

    /** An AlterPartition the fake controller received, answered by completing {@code answer}. */
    private record Proposal(int leaderEpoch, int partitionEpoch, List<BrokerState> newIsr,
                            CompletableFuture<AlterPartitionResponseData.PartitionData> answer) {
        int[] isr() {
            return newIsr.stream().mapToInt(BrokerState::brokerId).toArray();
        }
    }

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<Proposal> proposals = new ArrayList<>();
    /** The brokers registered and unfenced in the metadata: both, until a test fences one. */
    private final Set<Integer> unfenced = new HashSet<>(Set.of(1, 2));
    private final ProducePurgatory purgatory = new ProducePurgatory();
    private final BrokerMetrics metrics = new BrokerMetrics();
    private LogManager logs1;
    private LogManager logs2;

    @BeforeEach
    void start() {
        logs1 = new LogManager(List.of(dir.resolve("b1")), LogManagerConfig.defaults(60_000));
        logs2 = new LogManager(List.of(dir.resolve("b2")), LogManagerConfig.defaults(60_000));
    }

    @AfterEach
    void stop() {
        purgatory.close();
        logs1.close();
        logs2.close();
    }

    private Partition replica(LogManager logs, int brokerId, int minIsr) {
        ReplicaContext context = new ReplicaContext(clock::get, LAG_MS, () -> 100 + brokerId, unfenced::contains,
                (topicId, partition, leaderEpoch, partitionEpoch, newIsr) -> {
                    CompletableFuture<AlterPartitionResponseData.PartitionData> answer = new CompletableFuture<>();
                    proposals.add(new Proposal(leaderEpoch, partitionEpoch, newIsr, answer));
                    return answer;
                }, purgatory.executor(), new ReplicaManagerMetrics(metrics, List.of(), () -> 0), metrics.topics());
        return new Partition(logs.getOrCreateLog(TP, TOPIC_ID, LogConfig.defaults()), brokerId, minIsr, context);
    }

    private static PartitionRegistration registration(int[] isr, int leader, int leaderEpoch, int partitionEpoch) {
        return new PartitionRegistration(new int[] {1, 2}, isr, leader, leaderEpoch, partitionEpoch);
    }

    private static ByteBuffer batch(String... values) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        for (String value : values) {
            builder.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build().buffer();
    }

    /**
     * One follower fetch, as the replica fetcher sends it and the Fetch handler answers it: a diverging epoch makes
     * the follower truncate; otherwise it appends what the leader read up to its log end and takes the leader's
     * high watermark.
     */
    private void fetch(Partition leader, Partition follower, LogManager followerLogs, int followerId) throws IOException {
        long fetchOffset = follower.log().logEndOffset();
        int lastFetchedEpoch = follower.log().latestEpoch();
        Optional<EpochEndOffset> diverging = lastFetchedEpoch < 0 ? Optional.empty()
                : LogDivergence.divergingEpoch(leader.log(), lastFetchedEpoch, fetchOffset);
        if (diverging.isPresent()) {
            followerLogs.truncateTo(TP, LogDivergence.truncationOffset(follower.log(), diverging.get().epoch(),
                    diverging.get().endOffset()));
            return;
        }
        long leaderEnd = leader.log().logEndOffset();
        LogSlice slice = leader.log().read(fetchOffset, 1 << 20, leaderEnd, true);
        leader.recordFollowerFetch(followerId, 100 + followerId, fetchOffset, leaderEnd);
        if (slice.size() > 0) {
            ByteBuffer bytes = ByteBuffer.allocate(slice.size());
            slice.channel().read(bytes, slice.position());
            follower.appendAsFollower(bytes.flip());
        }
        follower.updateFollowerHighWatermark(leader.log().highWatermark());
    }

    private static byte[] contents(Partition partition, long endOffset) throws IOException {
        LogSlice slice = partition.log().read(0, Integer.MAX_VALUE, endOffset, true);
        ByteBuffer bytes = ByteBuffer.allocate(slice.size());
        if (slice.size() > 0) {
            slice.channel().read(bytes, slice.position());
        }
        return bytes.array();
    }

    @Test
    void theHighWatermarkIsTheSmallestLogEndInTheIsrAndTheLogsHoldTheSameBatches() throws IOException {
        Partition leader = replica(logs1, 1, 1);
        Partition follower = replica(logs2, 2, 1);
        leader.makeLeader(registration(new int[] {1, 2}, 1, 1, 1));
        follower.makeFollower(registration(new int[] {1, 2}, 1, 1, 1));

        leader.appendAsLeader(batch("a", "b", "c"), (short) 1);
        assertEquals(3, leader.log().logEndOffset());
        assertEquals(0, leader.log().highWatermark(), "the follower has not fetched the batch yet");

        fetch(leader, follower, logs2, 2);
        assertEquals(3, follower.log().logEndOffset());
        assertEquals(0, leader.log().highWatermark(), "the leader learns the follower's end from its next fetch");
        fetch(leader, follower, logs2, 2);
        assertEquals(3, leader.log().highWatermark());
        assertEquals(3, follower.log().highWatermark(), "the follower takes the leader's high watermark");
        assertArrayEquals(contents(leader, 3), contents(follower, 3));
        assertEquals(1, follower.log().latestEpoch(), "batches keep the leader's epoch");
        assertTrue(proposals.isEmpty(), "a full ISR needs no change");
    }

    @Test
    void acksAllIsAnsweredOnlyOnceTheFollowerHasTheBatch() throws Exception {
        Partition leader = replica(logs1, 1, 2);
        Partition follower = replica(logs2, 2, 2);
        leader.makeLeader(registration(new int[] {1, 2}, 1, 1, 1));
        follower.makeFollower(registration(new int[] {1, 2}, 1, 1, 1));

        var result = leader.appendAsLeader(batch("a", "b"), (short) -1);
        PartitionProduceResponse response = new PartitionProduceResponse().setBaseOffset(result.firstOffset());
        ProducePurgatory.Request request = purgatory.newRequest();
        request.await(leader, result.lastOffset() + 1, response);
        CompletableFuture<Void> done = request.complete(60_000);
        assertFalse(done.isDone(), "parked while the follower has not fetched");

        fetch(leader, follower, logs2, 2);
        assertFalse(done.isDone(), "the follower has the batch, but the leader does not know it yet");
        fetch(leader, follower, logs2, 2);
        done.get(10, TimeUnit.SECONDS);
        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(2, leader.log().highWatermark());
    }

    @Test
    void aLeaderMovedToAnotherLogDirKeepsItsStateAndItsFollowerReplicatesOn() throws Exception {
        try (LogManager jbod = new LogManager(List.of(dir.resolve("b1a"), dir.resolve("b1b")),
                LogManagerConfig.defaults(60_000))) {
            Partition leader = replica(jbod, 1, 2);
            Partition follower = replica(logs2, 2, 2);
            leader.makeLeader(registration(new int[] {1, 2}, 1, 3, 1));
            follower.makeFollower(registration(new int[] {1, 2}, 1, 3, 1));
            leader.appendAsLeader(batch("a", "b"), (short) 1);
            fetch(leader, follower, logs2, 2);
            fetch(leader, follower, logs2, 2);
            var result = leader.appendAsLeader(batch("c"), (short) -1);
            PartitionProduceResponse response = new PartitionProduceResponse().setBaseOffset(result.firstOffset());
            ProducePurgatory.Request request = purgatory.newRequest();
            request.await(leader, result.lastOffset() + 1, response);
            CompletableFuture<Void> done = request.complete(60_000);

            assertTrue(jbod.moveLog(TP, dir.resolve("b1b").toString()));
            while (jbod.copyToFuture(TP, 1 << 20) > 0) {
                // the whole log in one copy or a few
            }
            var old = leader.log();
            leader.replaceLog(() -> jbod.replaceCurrentWithFuture(TP));
            assertEquals(List.of(leader.log()), jbod.logsIn(dir.resolve("b1b")), "the leader's log moved");
            assertEquals(List.of(), jbod.logsIn(dir.resolve("b1a")));
            assertEquals(2, leader.log().highWatermark(), "high watermark carried over");
            assertEquals(3, leader.log().logEndOffset());
            assertEquals(3, leader.log().latestEpoch());
            assertFalse(done.isDone(), "the parked acks=all produce still waits for the follower");
            assertThrows(KafkaStorageException.class,
                    () -> old.appendAsLeader(batch("lost"), 3), "the old log takes no append");

            fetch(leader, follower, logs2, 2);
            fetch(leader, follower, logs2, 2);
            done.get(10, TimeUnit.SECONDS);
            assertEquals(Errors.NONE.code(), response.errorCode());
            assertEquals(3, leader.log().highWatermark());
            leader.appendAsLeader(batch("d"), (short) 1);
            fetch(leader, follower, logs2, 2);
            assertArrayEquals(contents(leader, 4), contents(follower, 4));
        }
    }

    @Test
    void acksAllUnderMinInsyncReplicasAppendsNothing() {
        Partition leader = replica(logs1, 1, 2);
        leader.makeLeader(registration(new int[] {1}, 1, 1, 1));
        assertThrows(NotEnoughReplicasException.class, () -> leader.appendAsLeader(batch("a"), (short) -1));
        assertEquals(0, leader.log().logEndOffset());
        leader.appendAsLeader(batch("a"), (short) 1);
        assertEquals(1, leader.log().logEndOffset(), "acks=1 does not need the ISR");
    }

    @Test
    void aLaggingFollowerLeavesTheIsrAndUnderMinInsyncReplicasTheHighWatermarkStandsStill() throws Exception {
        Partition leader = replica(logs1, 1, 2);
        leader.makeLeader(registration(new int[] {1, 2}, 1, 3, 5));
        var result = leader.appendAsLeader(batch("a"), (short) -1);
        PartitionProduceResponse response = new PartitionProduceResponse();
        ProducePurgatory.Request request = purgatory.newRequest();
        request.await(leader, result.lastOffset() + 1, response);
        CompletableFuture<Void> done = request.complete(60_000);

        leader.maybeShrinkIsr();
        assertTrue(proposals.isEmpty(), "not lagging yet");
        clock.addAndGet(LAG_MS + 1);
        leader.maybeShrinkIsr();
        leader.maybeShrinkIsr();
        assertEquals(1, proposals.size(), "one change in flight per partition");
        Proposal shrink = proposals.get(0);
        assertArrayEquals(new int[] {1}, shrink.isr());
        assertEquals(3, shrink.leaderEpoch());
        assertEquals(5, shrink.partitionEpoch());
        assertArrayEquals(new int[] {1, 2}, leader.maximalIsr(), "a pending shrink still counts the old ISR");
        assertEquals(0, leader.log().highWatermark());
        assertFalse(done.isDone());

        shrink.answer().complete(new AlterPartitionResponseData.PartitionData().setIsr(List.of(1))
                .setLeaderId(1).setLeaderEpoch(3).setPartitionEpoch(6));
        leader.maybeIncrementHighWatermark();
        assertArrayEquals(new int[] {1}, leader.maximalIsr());
        assertEquals(0, leader.log().highWatermark(), "an ISR below min.insync.replicas does not move the high "
                + "watermark (KIP-966), so the follower that left still holds every committed record");
        assertFalse(done.isDone(), "the parked produce waits for the ISR to grow back, or for its timeout");
        assertThrows(NotEnoughReplicasException.class, () -> leader.appendAsLeader(batch("b"), (short) -1));
    }

    @Test
    void aFollowerThatCatchesUpIntoTheLeaderEpochJoinsTheIsr() throws IOException {
        Partition leader = replica(logs1, 1, 1);
        Partition follower = replica(logs2, 2, 1);
        leader.makeLeader(registration(new int[] {1}, 1, 1, 1));
        follower.makeFollower(registration(new int[] {1}, 1, 1, 1));
        leader.appendAsLeader(batch("a", "b", "c"), (short) -1);
        assertEquals(3, leader.log().highWatermark(), "an ISR of one");

        fetch(leader, follower, logs2, 2);
        assertTrue(proposals.isEmpty(), "fetching from offset 0, below the high watermark: not caught up");
        fetch(leader, follower, logs2, 2);
        assertEquals(1, proposals.size());
        Proposal expand = proposals.get(0);
        assertArrayEquals(new int[] {1, 2}, expand.isr());
        assertEquals(102, expand.newIsr().get(1).brokerEpoch(), "the follower's broker epoch from its fetch");
        assertArrayEquals(new int[] {1, 2}, leader.maximalIsr(), "a pending expansion counts the new member at once");
        fetch(leader, follower, logs2, 2);
        assertEquals(1, proposals.size(), "one change in flight per partition");

        expand.answer().complete(new AlterPartitionResponseData.PartitionData()
                .setErrorCode(Errors.INVALID_UPDATE_VERSION.code()));
        assertArrayEquals(new int[] {1}, leader.maximalIsr(), "a refused change leaves the committed ISR");
        leader.makeLeader(registration(new int[] {1, 2}, 1, 1, 2));
        assertArrayEquals(new int[] {1, 2}, leader.maximalIsr(), "the metadata log's ISR");
        leader.appendAsLeader(batch("d"), (short) -1);
        assertEquals(3, leader.log().highWatermark(), "the new ISR member must have the batch");
        fetch(leader, follower, logs2, 2);
        fetch(leader, follower, logs2, 2);
        assertEquals(4, leader.log().highWatermark());
    }

    @Test
    void aFollowerCatchingUpUnderLoadHoldsTheHighWatermarkUntilItJoinsTheIsr() throws IOException {
        Partition leader = replica(logs1, 1, 1);
        Partition follower = replica(logs2, 2, 1);
        leader.makeLeader(registration(new int[] {1}, 1, 1, 1));
        follower.makeFollower(registration(new int[] {1}, 1, 1, 1));
        leader.appendAsLeader(batch("a", "b", "c"), (short) 1);
        assertEquals(3, leader.log().highWatermark(), "a follower outside the ISR that never caught up does not count");

        fetch(leader, follower, logs2, 2);
        leader.appendAsLeader(batch("d"), (short) 1);
        assertEquals(4, leader.log().highWatermark());
        // Fetches at the leader's end as of its previous fetch: caught up, though the leader has appended since.
        fetch(leader, follower, logs2, 2);
        leader.appendAsLeader(batch("e"), (short) 1);
        assertEquals(4, leader.log().highWatermark(), "the caught-up follower holds the high watermark back");
        assertTrue(proposals.isEmpty());
        fetch(leader, follower, logs2, 2);
        assertEquals(1, proposals.size(), "at the high watermark, it is proposed for the ISR");
        assertArrayEquals(new int[] {1, 2}, proposals.get(0).isr());
    }

    /** Broker 1 leading with ISR [1, 2], broker 2 having fetched its one record: the high watermark is 1. */
    private Partition leaderWithACaughtUpFollower() throws IOException {
        Partition leader = replica(logs1, 1, 1);
        Partition follower = replica(logs2, 2, 1);
        leader.makeLeader(registration(new int[] {1, 2}, 1, 1, 1));
        follower.makeFollower(registration(new int[] {1, 2}, 1, 1, 1));
        leader.appendAsLeader(batch("a"), (short) -1);
        fetch(leader, follower, logs2, 2);
        fetch(leader, follower, logs2, 2);
        assertEquals(1, leader.log().highWatermark());
        return leader;
    }

    @Test
    void aFencedFollowerThatTheControllerTookOutOfTheIsrNoLongerHoldsTheHighWatermark() throws Exception {
        Partition leader = leaderWithACaughtUpFollower();

        // Broker 2 dies: the controller fences it and takes it out of the ISR, within replica.lag.time.max.ms.
        var result = leader.appendAsLeader(batch("b"), (short) -1);
        PartitionProduceResponse response = new PartitionProduceResponse().setBaseOffset(result.firstOffset());
        ProducePurgatory.Request request = purgatory.newRequest();
        request.await(leader, result.lastOffset() + 1, response);
        CompletableFuture<Void> done = request.complete(60_000);
        unfenced.remove(2);
        leader.makeLeader(registration(new int[] {1}, 1, 1, 2));
        leader.afterLeadershipUpdate();
        done.get(10, TimeUnit.SECONDS);
        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(2, leader.log().highWatermark(), "the fenced follower, caught up a moment ago, is not waited for");
    }

    @Test
    void anUnfencedFollowerOutOfTheIsrHoldsTheHighWatermarkWhileCaughtUp() throws Exception {
        Partition leader = leaderWithACaughtUpFollower();

        leader.appendAsLeader(batch("b"), (short) -1);
        leader.makeLeader(registration(new int[] {1}, 1, 1, 2));
        leader.afterLeadershipUpdate();
        assertEquals(1, leader.log().highWatermark(), "caught up within replica.lag.time.max.ms, it may rejoin");
    }

    @Test
    void aFollowerTruncatesTheSuffixItAppendedAsAnOldLeader() throws IOException {
        Partition one = replica(logs1, 1, 1);
        Partition two = replica(logs2, 2, 1);
        // Epoch 1: broker 2 leads and broker 1 replicates the first batch only.
        two.makeLeader(registration(new int[] {2, 1}, 2, 1, 1));
        one.makeFollower(registration(new int[] {2, 1}, 2, 1, 1));
        two.appendAsLeader(batch("a", "b", "c"), (short) 1);
        fetch(two, one, logs1, 1);
        two.appendAsLeader(batch("lost-1", "lost-2"), (short) 1);
        assertEquals(5, two.log().logEndOffset());

        // Epoch 2: broker 1 leads from offset 3 and appends; broker 2 follows with a divergent suffix.
        one.makeLeader(registration(new int[] {1}, 1, 2, 2));
        two.makeFollower(registration(new int[] {1}, 1, 2, 2));
        one.appendAsLeader(batch("d"), (short) 1);

        fetch(one, two, logs2, 2);
        assertEquals(3, two.log().logEndOffset(), "truncated to where epoch 1 ends in the leader's log");
        fetch(one, two, logs2, 2);
        assertEquals(4, two.log().logEndOffset());
        assertEquals(2, two.log().latestEpoch());
        assertArrayEquals(contents(one, 4), contents(two, 4));
    }
}
