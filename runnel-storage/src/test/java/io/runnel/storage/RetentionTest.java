package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Time and size retention, and DeleteRecords, on the log. */
class RetentionTest {
    static final long NOW = PartitionLogTest.NOW;
    static final TopicPartition TP = new TopicPartition("retained", 0);
    static final long HOUR = 3_600_000;

    @TempDir
    Path logDir;
    final MutableClock clock = new MutableClock(NOW);
    LogManager manager;

    @BeforeEach
    void open() {
        manager = new LogManager(List.of(logDir), LogManagerConfig.defaults(60_000), clock);
        manager.loadLogs(tp -> LogConfig.defaults());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    PartitionLog log(LogConfig config) {
        return manager.getOrCreateLog(TP, Uuid.ONE_UUID, config);
    }

    List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(logDir.resolve("retained-0"))) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    static LogConfig smallSegments() {
        return LogConfig.defaults().withSegmentBytes(300).withFileDeleteDelayMs(0);
    }

    @Test
    void timeRetentionDeletesClosedSegmentsOlderThanRetentionMs() throws IOException {
        PartitionLog log = log(smallSegments().withRetention(HOUR, -1));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(NOW - 2 * HOUR, "old" + i), 0);
        }
        long firstRecent = log.logEndOffset();
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(NOW - HOUR / 2, "recent" + i), 0);
        }
        int segments = files(".log").size();

        int deleted = log.deleteRetainedSegments(NOW);

        assertTrue(deleted > 0 && deleted < segments, deleted + " of " + segments);
        assertTrue(log.logStartOffset() > 0 && log.logStartOffset() <= firstRecent, "start " + log.logStartOffset());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(0, 1 << 20, Long.MAX_VALUE, true));
        List<String> left = PartitionLogTest.readAll(log, log.logStartOffset());
        assertEquals(log.logEndOffset() - log.logStartOffset(), left.size());
        assertTrue(left.contains(firstRecent + ":recent0"));
        Conditions.await(() -> uncheckedCount(".deleted") == 0 && uncheckedCount(".log") == segments - deleted,
                "the deleted segments' files are removed");
        assertEquals(0, log.deleteRetainedSegments(NOW), "nothing more is old enough");
    }

    @Test
    void theActiveSegmentIsNeverDeleted() {
        PartitionLog log = log(smallSegments().withRetention(HOUR, -1));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(NOW - 2 * HOUR, "old" + i), 0);
        }
        log.deleteRetainedSegments(NOW);

        assertEquals(log.activeBaseOffset(), log.logStartOffset());
        assertEquals(10, log.logEndOffset());
        List<String> left = PartitionLogTest.readAll(log, log.logStartOffset());
        assertEquals(10 - log.logStartOffset(), left.size());
        assertTrue(left.size() > 0, "the active segment's records stay");
    }

    @Test
    void sizeRetentionKeepsThePartitionUnderRetentionBytes() {
        PartitionLog log = log(smallSegments().withRetention(-1, 1000));
        for (int i = 0; i < 40; i++) {
            log.appendAsLeader(batch(NOW, "v" + i), 0);
        }
        long before = log.size();

        assertTrue(log.deleteRetainedSegments(NOW) > 0);

        // Kafka's rule: a segment goes only if the partition stays at or above retention.bytes without it.
        assertTrue(log.size() >= 1000 && log.size() < 1000 + 300, "size " + log.size() + " of " + before);
        assertEquals(log.logEndOffset() - log.logStartOffset(),
                PartitionLogTest.readAll(log, log.logStartOffset()).size());
    }

    @Test
    void deletePolicyOnlyAppliesRetention() {
        PartitionLog log = log(smallSegments().withRetention(HOUR, -1).withCleanupPolicy(true, false));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(TestBatches.keyed(NOW - 2 * HOUR, "k" + i, "v"), 0);
        }
        assertEquals(0, log.deleteRetainedSegments(NOW));
        assertEquals(0, log.logStartOffset());
    }

    @Test
    void deleteRecordsMovesTheLogStartOffsetAndDropsWholeSegments() throws IOException {
        PartitionLog log = log(smallSegments());
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(NOW, "v" + i), 0);
        }
        log.updateHighWatermark(15);
        int segments = files(".log").size();

        assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(16));
        assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(-2));
        assertEquals(7, log.deleteRecordsBefore(7));
        assertEquals(7, log.deleteRecordsBefore(3), "never backwards");
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(6, 1 << 20, Long.MAX_VALUE, true));
        assertEquals("7:v7", PartitionLogTest.readAll(log, 7).get(0));
        assertEquals(7, log.offsetForTimestamp(NOW).orElseThrow().offset(), "a timestamp look-up starts at the start");
        assertEquals(15, log.deleteRecordsBefore(-1), "-1 is the high watermark");
        Conditions.await(() -> uncheckedCount(".log") < segments, "whole segments below the start are deleted");

        manager.close();
        manager = new LogManager(List.of(logDir), LogManagerConfig.defaults(60_000), clock);
        manager.loadLogs(tp -> smallSegments());
        assertEquals(15, manager.getLog(TP).orElseThrow().logStartOffset(), "the log start offset is checkpointed");
    }

    @Test
    void retentionRunsInTheBackgroundEveryCheckInterval() {
        manager.close();
        manager = new LogManager(List.of(logDir),
                LogManagerConfig.defaults(60_000).withRetentionCheckIntervalMs(10), clock);
        PartitionLog log = log(smallSegments().withRetention(HOUR, -1));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(NOW - 2 * HOUR, "old" + i), 0);
        }
        Conditions.await(() -> log.logStartOffset() == log.activeBaseOffset(), "retention ran");
    }

    private long uncheckedCount(String suffix) {
        try {
            return files(suffix).size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
