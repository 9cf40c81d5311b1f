package io.runnel.broker.txn;

import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.coordinator.CoordinatorRuntime;
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
import org.apache.kafka.common.errors.ConcurrentTransactionsException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transaction state machine on a real {@code __transaction_state} partition led by broker 1 at leader epoch 3,
 * with a marker sender that records the markers and acknowledges them only when the test says.
 */
class TransactionStateMachineTest {
    private static final Uuid STATE_TOPIC_ID = new Uuid(7, 7);
    private static final TopicPartition STATE_PARTITION = new TopicPartition(Topic.TRANSACTION_STATE_TOPIC_NAME, 0);
    private static final int LEADER_EPOCH = 3;
    private static final int MAX_TIMEOUT_MS = 60_000;
    private static final long EXPIRATION_MS = 3_600_000;
    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 1);

    /** One marker sending: what was asked, and the future the test completes. */
    private record Sent(TransactionMarkers markers, CompletableFuture<Void> done) {
    }

    @TempDir
    Path dir;
    private LogManager logs;
    private ReplicaManager replicas;
    private CoordinatorRuntime runtime;
    private TransactionCoordinator coordinator;
    private TransactionStateMachine transactions;
    private final AtomicLong nextProducerId = new AtomicLong(1000);
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        logs = new LogManager(List.of(dir), LogManagerConfig.defaults(60_000));
        runtime = new CoordinatorRuntime(10_000);
        replicas = new ReplicaManager(1, logs, new TopicConfigResolver(Map.of()), null, ReplicationConfig.defaults(), null,
                () -> -1);
        coordinator = new TransactionCoordinator(new TransactionConfig(1, (short) 1, 1, 104857600, MAX_TIMEOUT_MS,
                EXPIRATION_MS, 10_000, 3_600_000), replicas, null, runtime);
        transactions = new TransactionStateMachine(coordinator,
                () -> CompletableFuture.completedFuture(nextProducerId.getAndIncrement()), markers -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    sent.add(new Sent(markers, done));
                    return done;
                });
        replicas.addLeadershipListener(coordinator);
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new TopicRecord(Topic.TRANSACTION_STATE_TOPIC_NAME, STATE_TOPIC_ID));
        delta.replay(new PartitionRecord(STATE_TOPIC_ID, 0,
                new PartitionRegistration(new int[]{1}, new int[]{1}, 1, LEADER_EPOCH, 0)));
        replicas.onMetadataUpdate(MetadataImage.empty("cluster"), delta.apply(1));
        awaitLoaded("t");
    }

    @AfterEach
    void stop() {
        coordinator.close();
        runtime.close();
        replicas.close();
        logs.close();
    }

    @Test
    void initProducerIdBumpsTheEpochAndFencesTheOlderProducer() {
        ProducerEpoch first = init("t");
        assertEquals(new ProducerEpoch(1000, (short) 0), first);
        ProducerEpoch second = init("t");
        assertEquals(new ProducerEpoch(1000, (short) 1), second, "same producer id, next epoch");

        assertFails(ProducerFencedException.class, transactions.addPartitions("t", 1000, (short) 0, Set.of(A), TransactionVersions.TV0));
        assertFails(InvalidPidMappingException.class, transactions.addPartitions("t", 999, (short) 1, Set.of(A), TransactionVersions.TV0));
        assertFails(InvalidPidMappingException.class, transactions.addPartitions("unknown", 1000, (short) 1, Set.of(A), TransactionVersions.TV0));
        transactions.addPartitions("t", 1000, (short) 1, Set.of(A), TransactionVersions.TV0).join();
        DescribeTransactionsResponseData.TransactionState described = coordinator.describe("t");
        assertEquals("Ongoing", described.transactionState());
        assertEquals(1, described.producerEpoch());
        assertEquals("a", described.topics().iterator().next().topic());
        assertTrue(described.transactionStartTimeMs() > 0);
    }

    @Test
    void aTimeoutOutsideTheAllowedRangeIsRefused() {
        assertFails(InvalidTxnTimeoutException.class, transactions.initProducerId("t", MAX_TIMEOUT_MS + 1, -1, (short) -1));
        assertFails(InvalidTxnTimeoutException.class, transactions.initProducerId("t", 0, -1, (short) -1));
        assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND.code(), coordinator.describe("t").errorCode(), "nothing written");
    }

    @Test
    void commitWritesPrepareCommitThenTheMarkersThenCompleteCommit() {
        ProducerEpoch producer = init("t");
        transactions.addPartitions("t", producer.producerId(), producer.epoch(), Set.of(A), TransactionVersions.TV0).join();
        transactions.addPartitions("t", producer.producerId(), producer.epoch(), Set.of(B), TransactionVersions.TV0).join();
        transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, false).join();

        Sent markers = awaitValue(() -> sent.isEmpty() ? null : sent.get(0));
        assertEquals(new TransactionMarkers("t", producer.producerId(), producer.epoch(), true, LEADER_EPOCH, Set.of(A, B), TransactionVersions.TV0),
                markers.markers());
        assertEquals("PrepareCommit", coordinator.describe("t").transactionState());
        // While the markers are written, the producer must wait.
        assertFails(ConcurrentTransactionsException.class,
                transactions.addPartitions("t", producer.producerId(), producer.epoch(), Set.of(A), TransactionVersions.TV0));
        assertFails(ConcurrentTransactionsException.class,
                transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, false));
        assertFails(InvalidTxnStateException.class,
                transactions.endTransaction("t", producer.producerId(), producer.epoch(), false, false));
        assertFails(ConcurrentTransactionsException.class, transactions.initProducerId("t", 30_000, -1, (short) -1));

        markers.done().complete(null);
        awaitState("t", "CompleteCommit");
        assertTrue(coordinator.describe("t").topics().isEmpty(), "a completed transaction has no partitions");
        transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, false).join();
        assertFails(InvalidTxnStateException.class,
                transactions.endTransaction("t", producer.producerId(), producer.epoch(), false, false));
        assertEquals(1, sent.size(), "a retried commit sends no markers");
    }

    @Test
    void anAddDuringThePreviousTransactionsMarkersWaitsForThemInsteadOfBeingRefused() {
        ProducerEpoch producer = init("t");
        transactions.addPartitions("t", producer.producerId(), producer.epoch(), Set.of(A), TransactionVersions.TV2)
                .join();
        ProducerEpoch next = transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, true)
                .join();
        Sent markers = awaitValue(() -> sent.isEmpty() ? null : sent.get(0));
        CompletableFuture<Void> adding = transactions.addPartitions("t", next.producerId(), next.epoch(), Set.of(B),
                TransactionVersions.TV2);
        assertFalse(adding.isDone(), "the add waits while PrepareCommit's markers are written");

        markers.done().complete(null);
        adding.join();
        assertEquals("Ongoing", coordinator.describe("t").transactionState());
        assertEquals("b", coordinator.describe("t").topics().iterator().next().topic());
    }

    @Test
    void transactionV2EndsBumpTheEpochAndARetryOfTheEndIsAnsweredAsIt() {
        ProducerEpoch producer = init("t");
        transactions.addPartitions("t", producer.producerId(), producer.epoch(), Set.of(A), TransactionVersions.TV2)
                .join();
        ProducerEpoch next = transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, true)
                .join();
        assertEquals(new ProducerEpoch(producer.producerId(), (short) (producer.epoch() + 1)), next);
        // the markers carry the bumped epoch, and say so
        Sent markers = awaitValue(() -> sent.isEmpty() ? null : sent.get(0));
        assertEquals(new TransactionMarkers("t", producer.producerId(), next.epoch(), true, LEADER_EPOCH, Set.of(A),
                TransactionVersions.TV2), markers.markers());
        assertFails(ConcurrentTransactionsException.class,
                transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, true));
        markers.done().complete(null);
        awaitState("t", "CompleteCommit");
        assertEquals(next, transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, true).join(),
                "a retry with the epoch before the bump");
        assertFails(InvalidTxnStateException.class,
                transactions.endTransaction("t", producer.producerId(), producer.epoch(), false, true));
        assertFails(InvalidTxnStateException.class,
                transactions.endTransaction("t", next.producerId(), next.epoch(), true, true));
        assertFails(ProducerFencedException.class, transactions.addPartitions("t", producer.producerId(),
                producer.epoch(), Set.of(A), TransactionVersions.TV2));
        // the next transaction, with the bumped epoch
        transactions.addPartitions("t", next.producerId(), next.epoch(), Set.of(B), TransactionVersions.TV2).join();
        assertEquals(new ProducerEpoch(next.producerId(), (short) (next.epoch() + 1)),
                transactions.endTransaction("t", next.producerId(), next.epoch(), false, true).join());
    }

    @Test
    void aTransactionV2AbortWithNoTransactionOpenStillBumpsTheEpoch() {
        ProducerEpoch producer = init("t");
        ProducerEpoch next = transactions.endTransaction("t", producer.producerId(), producer.epoch(), false, true)
                .join();
        assertEquals(producer.epoch() + 1, next.epoch());
        Sent markers = awaitValue(() -> sent.isEmpty() ? null : sent.get(0));
        assertTrue(markers.markers().partitions().isEmpty(), "no partition to mark");
        markers.done().complete(null);
        awaitState("t", "CompleteAbort");
        assertFails(InvalidTxnStateException.class,
                transactions.endTransaction("t", next.producerId(), next.epoch(), true, true));
    }

    @Test
    void aTransactionV2EndWithAnExhaustedEpochHandsTheProducerANewId() {
        ProducerEpoch producer = init("t");
        TransactionShard shard = awaitLoaded("t");
        short exhausted = (short) (Short.MAX_VALUE - 1);
        CompletableFuture<Void> written;
        synchronized (shard) {
            TransactionMetadata txn = shard.get("t");
            written = shard.write(new TransactionMetadata("t", txn.producerId(), -1, exhausted, (short) -1,
                    txn.timeoutMs(), TransactionState.ONGOING, Set.of(A), 1, 1, -1, TransactionVersions.TV2));
        }
        written.join();
        ProducerEpoch next = transactions.endTransaction("t", producer.producerId(), exhausted, true, true).join();
        assertNotEquals(producer.producerId(), next.producerId());
        assertEquals(0, next.epoch());
        Sent markers = awaitValue(() -> sent.isEmpty() ? null : sent.get(0));
        assertEquals(Short.MAX_VALUE, markers.markers().producerEpoch(), "the old id's markers, at the bumped epoch");
        markers.done().complete(null);
        awaitState("t", "CompleteCommit");
        assertEquals(next, transactions.endTransaction("t", producer.producerId(), exhausted, true, true).join(),
                "a retry with the old producer id");
        transactions.addPartitions("t", next.producerId(), next.epoch(), Set.of(A), TransactionVersions.TV2).join();
    }

    @Test
    void endingATransactionThatIsNotOpenIsAnInvalidState() {
        ProducerEpoch producer = init("t");
        assertFails(InvalidTxnStateException.class,
                transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, false));
        assertFails(ProducerFencedException.class,
                transactions.endTransaction("t", producer.producerId(), (short) (producer.epoch() - 1), true, false));
    }

    @Test
    void aNewProducerAbortsTheOpenTransactionOfTheOldOneFirst() {
        ProducerEpoch old = init("t");
        transactions.addPartitions("t", old.producerId(), old.epoch(), Set.of(A), TransactionVersions.TV0).join();

        assertFails(ConcurrentTransactionsException.class, transactions.initProducerId("t", 30_000, -1, (short) -1));
        Sent abort = awaitValue(() -> sent.isEmpty() ? null : sent.get(0));
        assertEquals(new TransactionMarkers("t", old.producerId(), (short) 1, false, LEADER_EPOCH, Set.of(A), TransactionVersions.TV0),
                abort.markers(), "aborted with the bumped epoch, so the old producer's writes are fenced");
        assertFails(ProducerFencedException.class, transactions.endTransaction("t", old.producerId(), old.epoch(), true, false));
        assertFails(ConcurrentTransactionsException.class, transactions.initProducerId("t", 30_000, -1, (short) -1));

        abort.done().complete(null);
        awaitState("t", "CompleteAbort");
        assertEquals(new ProducerEpoch(old.producerId(), (short) 2), init("t"));
    }

    @Test
    void aTransactionOlderThanItsTimeoutIsAbortedWithABumpedEpoch() {
        ProducerEpoch producer = transactions.initProducerId("t", 1_000, -1, (short) -1).join();
        transactions.addPartitions("t", producer.producerId(), producer.epoch(), Set.of(A), TransactionVersions.TV0).join();
        long now = System.currentTimeMillis();
        transactions.abortTimedOut(now);
        assertEquals("Ongoing", coordinator.describe("t").transactionState(), "not yet timed out");

        transactions.abortTimedOut(now + 2_000);
        Sent abort = awaitValue(() -> sent.isEmpty() ? null : sent.get(0));
        assertEquals(new TransactionMarkers("t", producer.producerId(), (short) 1, false, LEADER_EPOCH, Set.of(A), TransactionVersions.TV0),
                abort.markers());
        abort.done().complete(null);
        awaitState("t", "CompleteAbort");
        assertFails(ProducerFencedException.class,
                transactions.endTransaction("t", producer.producerId(), producer.epoch(), true, false));
    }

    @Test
    void anExhaustedEpochGetsANewProducerId() {
        ProducerEpoch producer = init("t");
        TransactionShard shard = awaitLoaded("t");
        CompletableFuture<Void> written;
        synchronized (shard) {
            TransactionMetadata txn = shard.get("t");
            written = shard.write(new TransactionMetadata("t", txn.producerId(), -1, (short) (Short.MAX_VALUE - 1),
                    (short) -1, txn.timeoutMs(), TransactionState.EMPTY, Set.of(), -1, System.currentTimeMillis(),
                    -1, TransactionVersions.TV0));
        }
        written.join();
        ProducerEpoch bumped = init("t");
        assertNotEquals(producer.producerId(), bumped.producerId());
        assertEquals(0, bumped.epoch());
    }

    @Test
    void aRetriedInitProducerIdGetsTheEpochItAlreadyBumpedTo() {
        ProducerEpoch first = init("t");
        ProducerEpoch second = transactions.initProducerId("t", 30_000, first.producerId(), first.epoch()).join();
        assertEquals(new ProducerEpoch(first.producerId(), (short) 1), second);
        assertEquals(second, transactions.initProducerId("t", 30_000, first.producerId(), first.epoch()).join(),
                "the retry of the same bump");
        assertFails(ProducerFencedException.class, transactions.initProducerId("t", 30_000, first.producerId(), (short) 7));
    }

    @Test
    void replayRebuildsTheStateAndResumesTheMarkersOfADecidedTransaction() {
        ProducerEpoch committing = init("committing");
        transactions.addPartitions("committing", committing.producerId(), committing.epoch(), Set.of(A, B), TransactionVersions.TV0).join();
        transactions.endTransaction("committing", committing.producerId(), committing.epoch(), true, false).join();
        ProducerEpoch open = init("open");
        transactions.addPartitions("open", open.producerId(), open.epoch(), Set.of(B), TransactionVersions.TV0).join();
        Sent beforeMove = awaitValue(() -> sent.isEmpty() ? null : sent.get(0));

        coordinator.onResign(STATE_PARTITION);
        assertTrue(beforeMove.done().isCancelled(), "the old shard stops sending markers");
        coordinator.onBecomeLeader(replicas.leaderPartition(STATE_PARTITION));
        awaitLoaded("committing");

        Sent resumed = awaitValue(() -> sent.size() < 2 ? null : sent.get(1));
        assertEquals(beforeMove.markers(), resumed.markers());
        assertEquals("PrepareCommit", coordinator.describe("committing").transactionState());
        DescribeTransactionsResponseData.TransactionState replayedOpen = coordinator.describe("open");
        assertEquals("Ongoing", replayedOpen.transactionState());
        assertEquals(open.epoch(), replayedOpen.producerEpoch());
        assertEquals(List.of(1), replayedOpen.topics().find("b").partitions());
        resumed.done().complete(null);
        awaitState("committing", "CompleteCommit");
    }

    @Test
    void idleTransactionalIdsExpire() {
        init("idle");
        ProducerEpoch open = init("open");
        transactions.addPartitions("open", open.producerId(), open.epoch(), Set.of(A), TransactionVersions.TV0).join();
        transactions.expireTransactionalIds(System.currentTimeMillis() + EXPIRATION_MS + 1);
        awaitValue(() -> coordinator.describe("idle").errorCode() == Errors.TRANSACTIONAL_ID_NOT_FOUND.code() ? true : null);
        assertEquals("Ongoing", coordinator.describe("open").transactionState(), "an open transaction stays");

        coordinator.onResign(STATE_PARTITION);
        coordinator.onBecomeLeader(replicas.leaderPartition(STATE_PARTITION));
        awaitLoaded("idle");
        assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND.code(), coordinator.describe("idle").errorCode(),
                "the tombstone is replayed");
    }

    @Test
    void verifyOnlyChecksThePartitionsOfTheOpenTransaction() {
        ProducerEpoch producer = init("t");
        transactions.addPartitions("t", producer.producerId(), producer.epoch(), Set.of(A), TransactionVersions.TV0).join();
        assertEquals(Map.of(A, Errors.NONE, B, Errors.INVALID_TXN_STATE),
                transactions.verifyPartitions("t", producer.producerId(), producer.epoch(), Set.of(A, B)));
        assertThrows(ProducerFencedException.class,
                () -> transactions.verifyPartitions("t", producer.producerId(), (short) 9, Set.of(A)));
    }

    @Test
    void listFiltersByStateProducerIdDurationAndPattern() {
        ProducerEpoch open = init("open-1");
        transactions.addPartitions("open-1", open.producerId(), open.epoch(), Set.of(A), TransactionVersions.TV0).join();
        ProducerEpoch idle = init("idle-1");
        long now = System.currentTimeMillis();

        assertEquals(Set.of("open-1", "idle-1"), ids(coordinator.list(List.of(), List.of(), -1, null, now)));
        ListTransactionsResponseData ongoing = coordinator.list(List.of("Ongoing", "Bogus"), List.of(), -1, null, now);
        assertEquals(Set.of("open-1"), ids(ongoing));
        assertEquals(List.of("Bogus"), ongoing.unknownStateFilters());
        assertEquals(Set.of("idle-1"), ids(coordinator.list(List.of(), List.of(idle.producerId()), -1, null, now)));
        assertEquals(Set.of(), ids(coordinator.list(List.of("Ongoing"), List.of(), 60_000, null, now)),
                "not running for a minute yet");
        assertEquals(Set.of("open-1"), ids(coordinator.list(List.of("Ongoing"), List.of(), 60_000, null, now + 120_000)));
        assertEquals(Set.of("idle-1"), ids(coordinator.list(List.of(), List.of(), -1,
                java.util.regex.Pattern.compile("idle-.*"), now)));
    }

    @Test
    void recordsHaveKafkasByteFormat() {
        assertArrayEquals(new byte[]{0, 0, 0, 2, 't', 'x'}, bytes(TransactionRecords.key("tx")));
        TransactionMetadata txn = new TransactionMetadata("tx", 5, -1, (short) 2, (short) -1, 60_000,
                TransactionState.ONGOING, Set.of(A), 100, 200, -1, TransactionVersions.TV0);
        // TransactionLogValue v1: compact arrays and strings, an empty tagged-field section per structure
        ByteBuffer expected = ByteBuffer.allocate(2 + 8 + 2 + 4 + 1 + 1 + (1 + 1 + 1 + 4 + 1) + 8 + 8 + 1)
                .putShort((short) 1).putLong(5).putShort((short) 2).putInt(60_000).put((byte) 1)
                .put((byte) 2).put((byte) 2).put((byte) 'a').put((byte) 2).putInt(0).put((byte) 0)
                .putLong(200).putLong(100).put((byte) 0).flip();
        assertArrayEquals(bytes(expected), bytes(TransactionRecords.value(txn)));
        assertEquals(txn, TransactionRecords.readValue("tx", TransactionRecords.value(txn)));
        assertEquals("tx", TransactionRecords.transactionalId(TransactionRecords.key("tx")));

        // the tagged fields, in tag order: previous producer id (0), next producer id (1), client version (2)
        TransactionMetadata ending = new TransactionMetadata("tx", 5, 3, (short) 2, (short) -1, 60_000,
                TransactionState.PREPARE_COMMIT, Set.of(), 100, 200, 9, TransactionVersions.TV2);
        ByteBuffer tagged = ByteBuffer.allocate(2 + 8 + 2 + 4 + 1 + 1 + 8 + 8 + 1 + (2 + 8) + (2 + 8) + (2 + 2))
                .putShort((short) 1).putLong(5).putShort((short) 2).putInt(60_000).put((byte) 2).put((byte) 1)
                .putLong(200).putLong(100).put((byte) 3)
                .put((byte) 0).put((byte) 8).putLong(3).put((byte) 1).put((byte) 8).putLong(9)
                .put((byte) 2).put((byte) 2).putShort((short) 2).flip();
        assertArrayEquals(bytes(tagged), bytes(TransactionRecords.value(ending)));
        assertEquals(ending, TransactionRecords.readValue("tx", TransactionRecords.value(ending)));

        // a v0 value, as written before transaction protocol v2, still loads
        ByteBuffer v0 = ByteBuffer.allocate(2 + 8 + 2 + 4 + 1 + 4 + (2 + 1 + 4 + 4) + 8 + 8)
                .putShort((short) 0).putLong(5).putShort((short) 2).putInt(60_000).put((byte) 1)
                .putInt(1).putShort((short) 1).put((byte) 'a').putInt(1).putInt(0)
                .putLong(200).putLong(100).flip();
        assertEquals(txn, TransactionRecords.readValue("tx", v0));
    }

    private static Set<String> ids(ListTransactionsResponseData response) {
        assertEquals(Errors.NONE.code(), response.errorCode());
        return response.transactionStates().stream().map(ListTransactionsResponseData.TransactionState::transactionalId)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    private ProducerEpoch init(String transactionalId) {
        return transactions.initProducerId(transactionalId, 30_000, -1, (short) -1).join();
    }

    private void awaitState(String transactionalId, String state) {
        awaitValue(() -> state.equals(coordinator.describe(transactionalId).transactionState()) ? true : null);
    }

    private TransactionShard awaitLoaded(String transactionalId) {
        return awaitValue(() -> {
            try {
                return coordinator.shardFor(transactionalId);
            } catch (ApiException e) {
                return null;
            }
        });
    }

    private static void assertFails(Class<? extends ApiException> expected, CompletableFuture<?> future) {
        CompletionException e = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(expected, e.getCause());
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
