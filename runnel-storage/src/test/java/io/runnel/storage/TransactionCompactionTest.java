package io.runnel.storage;

import static io.runnel.storage.TestBatches.keyed;
import static io.runnel.storage.TestBatches.keyedRecords;
import static io.runnel.storage.TestBatches.transactionalKeyed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of a log holding transactions, Kafka's rules: aborted data goes, a marker stays while data of its
 * transaction remains and goes delete.retention.ms after the clean that found it alone, nothing at or past the last
 * stable offset is touched, and each producer's last batch stays.
 */
class TransactionCompactionTest {
    static final long NOW = PartitionLogTest.NOW;
    static final TopicPartition TP = new TopicPartition("compacted-txn", 0);
    static final long DELETE_RETENTION_MS = 1000;
    static final LogConfig COMPACTED = LogConfig.defaults().withCleanupPolicy(true, false).withSegmentBytes(250)
            .withFileDeleteDelayMs(0).withCompaction(DELETE_RETENTION_MS, 0, Long.MAX_VALUE, 0.5);
    static final int LEADER_EPOCH = 0;
    static final long PRODUCER = 7;

    @TempDir
    Path logDir;
    @TempDir
    Path followerDir;
    final MutableClock clock = new MutableClock(NOW);
    LogManager manager;
    PartitionLog log;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    PartitionLog open() {
        manager = new LogManager(List.of(logDir), LogManagerConfig.defaults(60_000).withCleaner(false, 1, 1 << 20,
                15_000), clock);
        manager.loadLogs(tp -> COMPACTED);
        log = manager.getOrCreateLog(TP, Uuid.ONE_UUID, COMPACTED);
        return log;
    }

    void clean() throws IOException {
        log.updateHighWatermark(log.logEndOffset());
        assertTrue(manager.cleaner().cleanNow(log));
    }

    long send(long producerId, int sequence, String... keyValues) {
        return log.appendAsLeader(transactionalKeyed(producerId, (short) 0, sequence, NOW, keyValues), LEADER_EPOCH)
                .firstOffset();
    }

    long end(long producerId, boolean commit) {
        return log.appendMarkerAsLeader(producerId, (short) 0, 0, commit, 1, LEADER_EPOCH).firstOffset();
    }

    /** Plain records until the segments holding everything so far are closed. */
    void closeSegments() {
        long until = log.logEndOffset();
        for (int i = 0; log.activeBaseOffset() <= until; i++) {
            log.appendAsLeader(keyed(NOW, "z", "z" + i), LEADER_EPOCH);
        }
    }

    /** The records but the filler ones of {@link #closeSegments}. */
    List<String> data() {
        return keyedRecords(log).stream().filter(r -> !r.contains(":z:")).toList();
    }

    /** The offsets of the marker batches, "(empty)" after those a clean emptied. */
    static List<String> markers(PartitionLog log) {
        List<String> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            for (MutableRecordBatch batch : TestBatches.batches(log.read(next, 1 << 20, Long.MAX_VALUE, true))) {
                if (batch.isControlBatch()) {
                    out.add(batch.baseOffset() + (batch.iterator().hasNext() ? "" : " (empty)"));
                }
                next = batch.lastOffset() + 1;
            }
        }
        return out;
    }

    static List<String> offsets(long... offsets) {
        return Arrays.stream(offsets).mapToObj(Long::toString).toList();
    }

    @Test
    void anAbortedTransactionsKeysDisappearWhileTheCommittedLatestValuesStay() throws IOException {
        open();
        log.appendAsLeader(keyed(NOW, "k1", "v0", "k2", "v0"), LEADER_EPOCH);
        long aborted = send(PRODUCER, 0, "k1", "aborted", "k2", "aborted", "k3", "aborted");
        long abort = end(PRODUCER, false);
        long committed = send(PRODUCER, 3, "k1", "committed");
        long commit = end(PRODUCER, true);
        closeSegments();

        clean();

        // k2's latest record was aborted: its committed value before it is the one that stays
        assertEquals(List.of("1:k2:v0", committed + ":k1:committed"), data());
        assertEquals(offsets(abort, commit), markers(log), "both markers still guard data of their transaction");
        assertEquals(List.of(new AbortedTxn(PRODUCER, aborted, abort, abort + 1)),
                log.abortedTransactions(0, log.logEndOffset()));

        manager.close();
        open();
        assertEquals(List.of("1:k2:v0", committed + ":k1:committed"), data());
        ActiveProducer producer = log.activeProducers().get(0);
        assertEquals(3, producer.lastSequence(), "the producer's last batch survives the clean");
        assertEquals(-1, producer.currentTxnStartOffset());
    }

    @Test
    void anAbortMarkerOutlivesItsDataThenGoesAfterDeleteRetentionMs() throws IOException {
        open();
        long aborted = send(PRODUCER, 0, "k1", "aborted");
        long abort = end(PRODUCER, false);
        long committed = send(PRODUCER, 1, "k2", "committed");
        long commit = end(PRODUCER, true);
        closeSegments();

        clean();
        assertEquals(offsets(abort, commit), markers(log), "the first clean removes the aborted data only");
        assertEquals(List.of(new AbortedTxn(PRODUCER, aborted, abort, abort + 1)),
                log.abortedTransactions(0, log.logEndOffset()));

        clean();
        assertEquals(offsets(abort, commit), markers(log), "kept for delete.retention.ms once alone");
        assertEquals(List.of(), log.abortedTransactions(0, log.logEndOffset()), "no aborted data left to filter");
        clock.advance(DELETE_RETENTION_MS - 1);
        clean();
        assertEquals(offsets(abort, commit), markers(log));

        clock.advance(1);
        clean();
        assertEquals(offsets(commit), markers(log), "the commit marker still guards k2's value");
        assertEquals(List.of(committed + ":k2:committed"), data());
    }

    @Test
    void theMarkerThatBumpedAProducersEpochStaysAsItsLastBatch() throws IOException {
        open();
        send(PRODUCER, 0, "k", "committed");
        // transaction version 2: the marker bumps the producer's epoch, which has no data batch yet
        long commit = log.appendMarkerAsLeader(PRODUCER, (short) 1, 0, true, 2, LEADER_EPOCH).firstOffset();
        send(8, 0, "k", "aborted");
        long abort = log.appendMarkerAsLeader(8, (short) 1, 0, false, 2, LEADER_EPOCH).firstOffset();
        log.appendAsLeader(keyed(NOW, "k", "plain"), LEADER_EPOCH);
        closeSegments();

        clean();
        clean();
        clock.advance(DELETE_RETENTION_MS);
        clean();

        assertEquals(List.of(commit + " (empty)", abort + " (empty)"), markers(log),
                "each producer's epoch 1 lives in its marker's batch only: kept, emptied");
        assertEquals(List.of((abort + 1) + ":k:plain"), data());
        ByteBuffer cleaned = allBatches();
        manager.close();
        // rebuilt from the log alone: the emptied markers give the producers their epochs
        try (Stream<Path> files = Files.list(log.dir())) {
            for (Path snapshot : files.filter(f -> f.toString().endsWith(".snapshot")).toList()) {
                Files.delete(snapshot);
            }
        }
        open();
        assertEquals(List.of((short) 1, (short) 1), log.activeProducers().stream().map(ActiveProducer::epoch).toList());
        manager.close();

        // a follower replicating the cleaned log from its start
        logDir = followerDir;
        open();
        log.appendAsFollower(cleaned);
        assertEquals(List.of((short) 1, (short) 1), log.activeProducers().stream().map(ActiveProducer::epoch).toList());
    }

    /** The whole log's batches, as a follower fetching from its start receives them. */
    ByteBuffer allBatches() {
        ByteBuffer all = ByteBuffer.allocate(1 << 20);
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            LogSlice slice = log.read(next, 1 << 20, Long.MAX_VALUE, true);
            all.put(TestBatches.bytes(slice));
            List<MutableRecordBatch> batches = TestBatches.batches(slice);
            next = batches.get(batches.size() - 1).lastOffset() + 1;
        }
        return all.flip();
    }

    @Test
    void nothingAtOrPastTheLastStableOffsetIsCleaned() throws IOException {
        open();
        log.appendAsLeader(keyed(NOW, "k1", "v0"), LEADER_EPOCH);
        long open = send(8, 0, "k1", "open", "k2", "open");
        long aborted = send(PRODUCER, 0, "k3", "aborted");
        long abort = end(PRODUCER, false);
        log.appendAsLeader(keyed(NOW, "k1", "v1", "k3", "v1"), LEADER_EPOCH);
        closeSegments();
        log.updateHighWatermark(log.logEndOffset());
        assertEquals(open, log.lastStableOffset());
        List<String> before = keyedRecords(log);

        clean();

        assertEquals(before, keyedRecords(log), "everything is at or past the open transaction's first offset");
        assertEquals(offsets(abort), markers(log));
        assertEquals(List.of(new AbortedTxn(PRODUCER, aborted, abort, open)),
                log.abortedTransactions(0, log.logEndOffset()));

        long commit = end(8, true);
        closeSegments();
        clean();
        List<String> after = keyedRecords(log);
        assertTrue(after.contains((open + 1) + ":k2:open"), after.toString());
        assertTrue(after.stream().noneMatch(r -> r.endsWith(":aborted") || r.endsWith(":k1:open")), after.toString());
        assertEquals(offsets(abort, commit), markers(log));
    }
}
