package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static io.runnel.storage.TestBatches.transactional;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions in the partition log: open transactions hold the last stable offset back until their marker is below
 * the high watermark, aborts are indexed in {@code .txnindex} in Kafka's bytes, and both survive restarts, crashes,
 * truncation and replication.
 */
class TransactionLogTest {
    static final long NOW = PartitionLogTest.NOW;
    static final TopicPartition TP = new TopicPartition("txn", 0);
    /** About three small batches a segment. */
    static final LogConfig CONFIG = LogConfig.defaults().withSegmentBytes(250).withIndexIntervalBytes(100);
    static final int LEADER_EPOCH = 3;
    static final int TV1 = 1;

    @TempDir
    Path logDir;
    @TempDir
    Path crashDir;
    final MutableClock clock = new MutableClock(NOW);
    LogManager manager;

    PartitionLog open(Path dir) {
        manager = new LogManager(List.of(dir), 60_000, clock);
        manager.loadLogs(tp -> CONFIG);
        return manager.getOrCreateLog(TP, Uuid.ONE_UUID, CONFIG);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    static void replicated(PartitionLog log) {
        log.updateHighWatermark(log.logEndOffset());
    }

    static long txn(PartitionLog log, long producerId, int sequence, String... values) {
        return log.appendAsLeader(transactional(producerId, (short) 0, sequence, NOW, values), LEADER_EPOCH)
                .firstOffset();
    }

    static long marker(PartitionLog log, long producerId, boolean commit) {
        return log.appendMarkerAsLeader(producerId, (short) 0, 0, commit, TV1, LEADER_EPOCH).firstOffset();
    }

    @Test
    void aCoordinatorsTransactionalBatchesAreCheckedByEpochOnly() {
        PartitionLog log = open(logDir);
        long first = log.appendAsCoordinator(transactional(9, (short) 1, 0, NOW, "offsets-a"), LEADER_EPOCH)
                .firstOffset();
        // The same sequence again is a new batch, not a retry: a coordinator writes every batch at sequence 0.
        long second = log.appendAsCoordinator(transactional(9, (short) 1, 0, NOW, "offsets-b"), LEADER_EPOCH)
                .firstOffset();
        assertEquals(first + 1, second);
        assertThrows(InvalidProducerEpochException.class,
                () -> log.appendAsCoordinator(transactional(9, (short) 0, 0, NOW, "fenced"), LEADER_EPOCH));
        replicated(log);
        assertEquals(first, log.lastStableOffset(), "the batches opened the producer's transaction");
        log.appendMarkerAsLeader(9, (short) 1, 0, true, TV1, LEADER_EPOCH);
        replicated(log);
        assertEquals(log.logEndOffset(), log.lastStableOffset());
    }

    @Test
    void theLastStableOffsetStopsAtTheEarliestOpenTransactionUntilItsMarkerIsReplicated() throws IOException {
        PartitionLog log = open(logDir);
        log.appendAsLeader(batch(NOW, "plain-0", "plain-1"), LEADER_EPOCH);
        long first = txn(log, 7, 0, "t0", "t1");
        log.appendAsLeader(batch(NOW, "plain-4"), LEADER_EPOCH);
        replicated(log);
        assertEquals(5, log.highWatermark());
        assertEquals(first, log.lastStableOffset(), "the open transaction's first offset");

        long commit = marker(log, 7, true);
        assertEquals(5, commit);
        assertEquals(first, log.lastStableOffset(), "the commit marker is not below the high watermark yet");
        replicated(log);
        assertEquals(6, log.lastStableOffset(), "the high watermark once the marker is replicated");
        assertTrue(log.abortedTransactions(0, 6).isEmpty(), "a commit is not indexed");
        assertTrue(files(logDir, ".txnindex").isEmpty(), "the index file comes with the first abort");
    }

    @Test
    void anAbortIsIndexedInKafkasBytesWithTheLastStableOffsetOfItsTime() throws IOException {
        PartitionLog log = open(logDir);
        long first7 = txn(log, 7, 0, "a0", "a1");
        long first8 = txn(log, 8, 0, "b0");
        long abort = marker(log, 7, false);
        replicated(log);
        assertEquals(first8, log.lastStableOffset(), "producer 8's transaction is still open");

        AbortedTxn expected = new AbortedTxn(7, first7, abort, first8);
        assertEquals(List.of(expected), log.abortedTransactions(0, log.logEndOffset()));
        assertEquals(List.of(expected), log.abortedTransactions(abort, abort + 1), "overlaps its marker");
        assertTrue(log.abortedTransactions(abort + 1, log.logEndOffset()).isEmpty(), "ended before the fetch offset");

        Path index = only(".txnindex");
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(index));
        assertEquals(TransactionIndex.ENTRY_SIZE, bytes.remaining());
        assertEquals(0, bytes.getShort(), "version");
        assertEquals(7, bytes.getLong(), "producer id");
        assertEquals(first7, bytes.getLong(), "first offset");
        assertEquals(abort, bytes.getLong(), "last offset");
        assertEquals(first8, bytes.getLong(), "last stable offset");

        long abort8 = marker(log, 8, false);
        replicated(log);
        assertEquals(log.logEndOffset(), log.lastStableOffset());
        assertEquals(List.of(expected, new AbortedTxn(8, first8, abort8, abort8 + 1)),
                log.abortedTransactions(0, log.logEndOffset()));
    }

    @Test
    void aTransactionAbortedInALaterSegmentIsFoundFromItsFirstSegment() {
        PartitionLog log = open(logDir);
        long first = txn(log, 7, 0, "x".repeat(60));
        for (int i = 1; i < 8; i++) {
            txn(log, 7, i, "x".repeat(60));
        }
        long abort = marker(log, 7, false);
        replicated(log);
        assertTrue(log.closedSegments().size() >= 2, "the transaction spans segments");
        assertEquals(List.of(new AbortedTxn(7, first, abort, abort + 1)), log.abortedTransactions(first, first + 1));
    }

    @Test
    void markersOfAnOlderProducerOrCoordinatorEpochAreRefused() {
        PartitionLog log = open(logDir);
        log.appendAsLeader(transactional(7, (short) 2, 0, NOW, "e2"), LEADER_EPOCH);
        long end = log.logEndOffset();
        assertThrows(InvalidProducerEpochException.class,
                () -> log.appendMarkerAsLeader(7, (short) 1, 5, true, TV1, LEADER_EPOCH));
        assertThrows(InvalidProducerEpochException.class,
                () -> log.appendMarkerAsLeader(7, (short) 2, 5, true, 2, LEADER_EPOCH),
                "transaction version 2 markers carry a bumped epoch");
        assertThrows(InvalidProducerEpochException.class,
                () -> log.appendMarkerAsLeader(7, (short) -1, 5, true, TV1, LEADER_EPOCH));
        assertThrows(InvalidRequestException.class,
                () -> log.appendMarkerAsLeader(-1, (short) 2, 5, true, TV1, LEADER_EPOCH));
        assertEquals(end, log.logEndOffset(), "nothing written");

        log.appendMarkerAsLeader(7, (short) 2, 5, true, TV1, LEADER_EPOCH);
        log.appendAsLeader(transactional(7, (short) 2, 1, NOW, "again"), LEADER_EPOCH);
        assertThrows(TransactionCoordinatorFencedException.class,
                () -> log.appendMarkerAsLeader(7, (short) 2, 4, false, TV1, LEADER_EPOCH));
        log.appendMarkerAsLeader(7, (short) 3, 5, false, TV1, LEADER_EPOCH);
        replicated(log);
        assertEquals(log.logEndOffset(), log.lastStableOffset(), "a newer epoch (a fenced producer's abort) ends it");
        ActiveProducer producer = log.activeProducers().get(0);
        assertEquals(3, producer.epoch());
        assertEquals(5, producer.coordinatorEpoch());
        assertEquals(-1, producer.currentTxnStartOffset());
    }

    @Test
    void aPlainBatchOfAProducerInATransactionIsRefused() {
        PartitionLog log = open(logDir);
        txn(log, 7, 0, "t0");
        assertThrows(InvalidTxnStateException.class,
                () -> log.appendAsLeader(TestBatches.idempotent(7, (short) 0, 1, NOW, "plain"), LEADER_EPOCH));
    }

    @Test
    void aCleanRestartKeepsTheOpenTransactionInTheProducerSnapshot() {
        PartitionLog log = open(logDir);
        long first = txn(log, 7, 0, "t0");
        txn(log, 7, 1, "t1");
        replicated(log);
        manager.close();

        PartitionLog reopened = open(logDir);
        reopened.updateHighWatermark(reopened.logEndOffset());
        assertEquals(first, reopened.lastStableOffset());
        assertEquals(first, reopened.activeProducers().get(0).currentTxnStartOffset());
        marker(reopened, 7, false);
        replicated(reopened);
        assertEquals(reopened.logEndOffset(), reopened.lastStableOffset());
        assertEquals(first, reopened.abortedTransactions(0, reopened.logEndOffset()).get(0).firstOffset());
    }

    @Test
    void afterACrashOpenTransactionsAndTheLostTransactionIndexAreRebuiltFromTheLog() throws IOException {
        PartitionLog log = open(logDir);
        long first7 = txn(log, 7, 0, "a0");
        long first8 = txn(log, 8, 0, "b0");
        long abort = marker(log, 7, false);
        for (int i = 1; i < 6; i++) {
            txn(log, 8, i, "b" + i);
        }
        replicated(log);
        Path crashed = crashDir.resolve("logs");
        RecoveryTest.copyTree(logDir, crashed);
        manager.close();
        try (Stream<Path> files = Files.walk(crashed)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".txnindex")).toList()) {
                Files.delete(f);
            }
        }

        PartitionLog recovered = open(crashed);
        recovered.updateHighWatermark(recovered.logEndOffset());
        assertEquals(first8, recovered.lastStableOffset(), "producer 8's transaction is open again");
        assertEquals(List.of(new AbortedTxn(7, first7, abort, first8)),
                recovered.abortedTransactions(0, recovered.logEndOffset()));
    }

    @Test
    void truncationBelowAMarkerReopensItsTransactionAndDropsItsIndexEntry() {
        PartitionLog log = open(logDir);
        long kept = txn(log, 6, 0, "k0");
        long first = txn(log, 7, 0, "t0");
        log.appendAsLeader(batch(NOW, "plain"), LEADER_EPOCH);
        long keptAbort = marker(log, 6, false);
        long abort = marker(log, 7, false);
        log.appendAsLeader(batch(NOW, "after"), LEADER_EPOCH);
        replicated(log);
        assertEquals(keptAbort, log.activeBaseOffset(), "both markers in the active segment");
        assertEquals(2, log.abortedTransactions(0, log.logEndOffset()).size());

        manager.truncateTo(TP, abort);
        assertEquals(abort, log.logEndOffset());
        assertEquals(keptAbort, log.activeBaseOffset(), "the segment was cut (a copy of its prefix swapped in)");
        AbortedTxn keptTxn = new AbortedTxn(6, kept, keptAbort, first);
        assertEquals(List.of(keptTxn), log.abortedTransactions(0, Long.MAX_VALUE), "the abort went with its marker");
        assertEquals(first, log.lastStableOffset(), "the transaction is open again");
        assertEquals(first, log.activeProducers().stream().filter(p -> p.producerId() == 7).findFirst().orElseThrow()
                .currentTxnStartOffset());

        manager.close();
        PartitionLog reopened = open(logDir);
        assertEquals(List.of(keptTxn), reopened.abortedTransactions(0, Long.MAX_VALUE), "the kept entry is on disk");
        marker(reopened, 7, false);
        assertEquals(2, reopened.abortedTransactions(0, Long.MAX_VALUE).size(), "the truncated index takes appends");
    }

    @Test
    void aFollowerTracksTransactionsFromTheLeadersBatchesAndMarkers() throws IOException {
        PartitionLog leader = open(logDir);
        long first = txn(leader, 7, 0, "t0", "t1");
        txn(leader, 8, 0, "u0");
        long abort = marker(leader, 7, false);
        long end = leader.logEndOffset();
        ByteBuffer all = ByteBuffer.allocate(64 * 1024);
        for (long next = 0; next < end; ) {
            LogSlice slice = leader.read(next, 1 << 20, end, true);
            ByteBuffer bytes = TestBatches.bytes(slice);
            all.put(bytes.duplicate());
            next = TestBatches.batches(slice).get(TestBatches.batches(slice).size() - 1).lastOffset() + 1;
        }
        all.flip();
        manager.close();

        PartitionLog follower = open(crashDir);
        follower.appendAsFollower(all);
        follower.updateHighWatermark(end);
        assertEquals(abort - 1, follower.lastStableOffset(), "producer 8's transaction is open");
        assertEquals(List.of(new AbortedTxn(7, first, abort, abort - 1)), follower.abortedTransactions(0, end));
    }

    @Test
    void compactionKeepsTheMarkersAndTheirIndexEntries() throws IOException {
        LogConfig compacted = CONFIG.withCleanupPolicy(true, false).withFileDeleteDelayMs(0)
                .withCompaction(1000, 0, Long.MAX_VALUE, 0.5);
        manager = new LogManager(List.of(logDir), LogManagerConfig.defaults(60_000).withCleaner(false, 1, 1 << 20,
                15_000), clock);
        manager.loadLogs(tp -> compacted);
        PartitionLog log = manager.getOrCreateLog(TP, Uuid.ONE_UUID, compacted);
        long first = txn(log, 7, 0, "k");
        long abort = marker(log, 7, false);
        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(TestBatches.keyed(NOW, "k", "v" + i), LEADER_EPOCH);
        }
        replicated(log);
        assertTrue(manager.cleaner().cleanNow(log));

        assertEquals(List.of(new AbortedTxn(7, first, abort, abort + 1)), log.abortedTransactions(0, abort + 1));
        assertEquals(TransactionIndex.ENTRY_SIZE, Files.size(only(".txnindex")), "the cleaned segment's index");
    }

    @Test
    void aSnapshotWithoutTransactionsFromAnEarlierVersionStillLoads() throws IOException {
        PartitionLog log = open(logDir);
        log.appendAsLeader(TestBatches.idempotent(9, (short) 4, 0, NOW, "v0"), LEADER_EPOCH);
        manager.close();
        // Version 1: header (version, CRC of the rest, producer count), then per producer its id, epoch, batches.
        Path snapshot = files(logDir, ".snapshot").get(0);
        ByteBuffer v1 = ByteBuffer.allocate(12 + 8 + 2 + 4 + 32);
        v1.putInt(1).putInt(0).putInt(1).putLong(9).putShort((short) 4).putInt(1)
                .putInt(0).putInt(0).putLong(0).putLong(0).putLong(NOW).flip();
        CRC32C crc = new CRC32C();
        crc.update(v1.duplicate().position(8));
        v1.putInt(4, (int) crc.getValue());
        Files.write(snapshot, Arrays.copyOf(v1.array(), v1.limit()));

        PartitionLog reopened = open(logDir);
        assertEquals(List.of(new ActiveProducer(9, (short) 4, 0, NOW, -1, -1)), reopened.activeProducers());
    }

    private Path only(String suffix) throws IOException {
        List<Path> found = files(logDir, suffix);
        assertEquals(1, found.size(), "files " + found);
        return found.get(0);
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("txn-0"))) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
