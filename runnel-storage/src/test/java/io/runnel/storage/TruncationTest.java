package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static io.runnel.storage.TestBatches.idempotent;
import static io.runnel.storage.TestBatches.records;
import static io.runnel.storage.TestBatches.replicated;
import static io.runnel.storage.TestBatches.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncationTest {
    static final long NOW = PartitionLogTest.NOW;
    static final TopicPartition TP = new TopicPartition("t", 0);
    /** About five two-record batches a segment. */
    static final LogConfig CONFIG = LogConfig.defaults().withSegmentBytes(400).withIndexIntervalBytes(100);

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
        manager.close();
    }

    /** {@code count} two-record batches, batch i at offset 2i, value "<prefix><offset>", leader epoch i / 10. */
    static void fill(PartitionLog log, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            long offset = log.logEndOffset();
            log.appendAsFollower(replicated(batch(NOW + offset, prefix + offset, prefix + (offset + 1)), offset,
                    (int) (offset / 20)));
        }
    }

    List<Long> segmentBases(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("t-0"))) {
            return files.map(f -> LogFiles.offsetOf(f, LogFiles.LOG)).filter(o -> o >= 0).sorted().toList();
        }
    }

    @Test
    void cutsInsideASegmentAtABatchBoundaryAndDropsTheSegmentsAbove() throws IOException {
        PartitionLog log = open(logDir);
        fill(log, "a", 30);
        assertTrue(segmentBases(logDir).size() > 4);
        List<String> before = PartitionLogTest.readAll(log, 0);

        manager.truncateTo(TP, 25);
        assertEquals(24, log.logEndOffset(), "the batch holding 25 starts at 24 and goes whole");
        assertEquals(before.subList(0, 24), PartitionLogTest.readAll(log, 0));
        assertTrue(segmentBases(logDir).stream().allMatch(base -> base < 24), segmentBases(logDir).toString());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(25, 1 << 20, Long.MAX_VALUE, true));
        assertEquals(Optional.empty(), log.offsetForTimestamp(NOW + 24));
        assertEquals(22, log.offsetForTimestamp(NOW + 22).orElseThrow().offset());

        fill(log, "b", 3);
        assertEquals(List.of("24:b24", "25:b25", "26:b26"), PartitionLogTest.readAll(log, 24).subList(0, 3));
        assertEquals(26, log.offsetForTimestamp(NOW + 26).orElseThrow().offset());
    }

    @Test
    void aSliceTakenBeforeATruncationKeepsReadingTheBatchesItWasGiven() {
        PartitionLog log = open(logDir);
        fill(log, "a", 30);
        LogSlice slice = log.read(50, 1 << 20, Long.MAX_VALUE, true);
        List<String> given = records(slice);
        assertEquals("50:a50", given.get(0));

        manager.truncateTo(TP, 45);
        for (int i = 0; i < 10; i++) {
            long offset = log.logEndOffset();
            log.appendAsFollower(replicated(batch(NOW, values("b" + offset + "-", 5)), offset, 9));
        }
        assertEquals(given, records(slice), "the region still holds the batches read, whole and CRC-valid");
        assertEquals("50:b49-1", records(log.read(50, 1 << 20, Long.MAX_VALUE, true)).get(1));
    }

    @Test
    void atASegmentBoundaryTheSegmentBelowStaysAndANewOneTakesTheAppends() throws IOException {
        PartitionLog log = open(logDir);
        fill(log, "a", 30);
        long boundary = segmentBases(logDir).get(2);
        manager.truncateTo(TP, boundary);
        assertEquals(boundary, log.logEndOffset());
        fill(log, "b", 1);
        assertEquals(List.of(boundary + ":b" + boundary), records(log.read(boundary, 1 << 20, Long.MAX_VALUE, true))
                .subList(0, 1));
        assertEquals(segmentBases(logDir).get(2), boundary);
    }

    @Test
    void epochsStartingAtOrAfterTheNewEndGoAndStayGoneAfterARestart() {
        PartitionLog log = open(logDir);
        fill(log, "a", 30); // epochs 0 (offsets 0-19), 1 (20-39), 2 (40-59)
        manager.truncateTo(TP, 40);
        assertEquals(1, log.latestEpoch());
        assertEquals(1, log.lastBatchEpoch());
        assertEquals(Optional.of(new EpochEndOffset(1, 40)), log.endOffsetForEpoch(1));
        assertEquals(Optional.empty(), log.endOffsetForEpoch(2));
        manager.truncateTo(TP, 30);
        manager.close();

        PartitionLog reopened = open(logDir);
        assertEquals(30, reopened.logEndOffset());
        assertEquals(1, reopened.latestEpoch());
        assertEquals(Optional.of(new EpochEndOffset(0, 20)), reopened.endOffsetForEpoch(0));
    }

    @Test
    void producerStateFollowsTheTruncation() {
        PartitionLog log = open(logDir);
        for (int i = 0; i < 40; i++) {
            log.appendAsLeader(idempotent(5, (short) 0, 3 * i, NOW, values("p" + i + "-", 3)), 0);
        }
        manager.truncateTo(TP, 30); // the batches of sequences 0-29 stay (offsets 0-29)
        assertEquals(30, log.logEndOffset());
        assertThrows(OutOfOrderSequenceException.class,
                () -> log.appendAsLeader(idempotent(5, (short) 0, 33, NOW, "x"), 0));
        AppendResult again = log.appendAsLeader(idempotent(5, (short) 0, 30, NOW, values("y", 3)), 0);
        assertFalse(again.duplicate(), "sequence 30 was truncated away: a new append, not a duplicate");
        assertEquals(30, again.firstOffset());
        assertTrue(log.appendAsLeader(idempotent(5, (short) 0, 27, NOW, values("p9-", 3)), 0).duplicate());
    }

    @Test
    void highWatermarkAndRecoveryPointAreLoweredAndCheckpointedAtOnce() {
        PartitionLog log = open(logDir);
        fill(log, "a", 30);
        log.updateHighWatermark(50);
        log.flush();
        manager.truncateTo(TP, 20);
        assertEquals(20, log.highWatermark());
        assertEquals(20, log.recoveryPoint());
        assertEquals(20L, OffsetCheckpointFile.read(logDir.resolve(OffsetCheckpointFile.HIGH_WATERMARK)).get(TP));
        assertEquals(20L, OffsetCheckpointFile.read(logDir.resolve(OffsetCheckpointFile.RECOVERY_POINT)).get(TP));
        log.updateHighWatermark(99);
        assertEquals(20, log.highWatermark(), "capped by the log end");
    }

    @Test
    void aKilledProcessRestartsWithTheTruncatedLogAndItsHighWatermark() throws IOException {
        PartitionLog log = open(logDir);
        fill(log, "a", 30);
        log.updateHighWatermark(60);
        manager.truncateTo(TP, 33);
        fill(log, "b", 2);
        List<String> expected = PartitionLogTest.readAll(log, 0);
        Path crashed = crashDir.resolve("logs");
        RecoveryTest.copyTree(logDir, crashed);
        manager.close();

        PartitionLog reopened = open(crashed);
        assertEquals(expected, PartitionLogTest.readAll(reopened, 0));
        assertEquals(32, reopened.highWatermark());
    }

    @Test
    void aTruncationACrashInterruptedIsCompletedAtLoad() throws IOException {
        PartitionLog log = open(logDir);
        fill(log, "a", 30);
        List<String> before = PartitionLogTest.readAll(log, 0);
        manager.close();
        // the crash struck after the intent was durable and the newest segment was unlinked
        Path dir = logDir.resolve("t-0");
        new PendingTruncation(false, 13).write(dir);
        long newest = segmentBases(logDir).get(segmentBases(logDir).size() - 1);
        LogFiles.deleteSegment(dir, newest, "");
        Files.delete(logDir.resolve(CleanShutdownFile.NAME));

        PartitionLog reopened = open(logDir);
        assertEquals(12, reopened.logEndOffset());
        assertEquals(before.subList(0, 12), PartitionLogTest.readAll(reopened, 0));
        assertFalse(Files.exists(dir.resolve(PendingTruncation.FILE_NAME)));
        fill(reopened, "b", 1);
        manager.close();
        PartitionLog again = open(logDir);
        assertEquals(14, again.logEndOffset());
        assertEquals("12:b12", PartitionLogTest.readAll(again, 12).get(0));
    }

    @Test
    void truncateFullyAndStartAtEmptiesTheLogAtTheNewStart() throws IOException {
        PartitionLog log = open(logDir);
        fill(log, "a", 30);
        log.updateHighWatermark(60);
        manager.truncateFullyAndStartAt(TP, 500);
        assertEquals(500, log.logStartOffset());
        assertEquals(500, log.logEndOffset());
        assertEquals(500, log.highWatermark());
        assertEquals(-1, log.latestEpoch());
        assertEquals(-1, log.lastBatchEpoch());
        assertEquals(List.of(500L), segmentBases(logDir));
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(10, 1 << 20, Long.MAX_VALUE, true));
        assertEquals(0, log.read(500, 1 << 20, Long.MAX_VALUE, true).size());

        assertEquals(502, log.appendAsFollower(replicated(batch(NOW, "x", "y"), 500, 9)));
        manager.close();
        PartitionLog reopened = open(logDir);
        assertEquals(500, reopened.logStartOffset());
        assertEquals(List.of("500:x", "501:y"), PartitionLogTest.readAll(reopened, 500));
        assertEquals(9, reopened.latestEpoch());
    }

    /**
     * A broker that led epoch 5 without appending, then follows a leader whose log diverges at its end: the
     * truncation to the log end keeps every record and forgets epoch 5, so its next fetch names epoch 2.
     */
    @Test
    void aTruncationToTheLogEndDropsAnEpochThatStartsThere() {
        PartitionLog log = open(logDir);
        fill(log, "a", 30); // epochs 0 at 0, 1 at 20, 2 at 40; log end 60
        log.assignEpochStartOffset(5, 60);
        manager.truncateTo(TP, 60);
        assertEquals(60, log.logEndOffset());
        assertEquals(2, log.latestEpoch());
        assertEquals(Optional.of(new EpochEndOffset(2, 60)), log.endOffsetForEpoch(2));
        manager.close();
        assertEquals(2, open(logDir).latestEpoch(), "the checkpoint no longer holds epoch 5");
    }

    @Test
    void aNewLeaderAssignsItsEpochStartWithKafkasRules() {
        PartitionLog log = open(logDir);
        fill(log, "a", 30); // epochs 0 at 0, 1 at 20, 2 at 40; log end 60
        log.assignEpochStartOffset(5, 60);
        assertEquals(5, log.latestEpoch());
        assertEquals(2, log.lastBatchEpoch(), "no batch of epoch 5 yet");
        assertEquals(Optional.of(new EpochEndOffset(2, 60)), log.endOffsetForEpoch(2));
        assertEquals(Optional.of(new EpochEndOffset(2, 60)), log.endOffsetForEpoch(4), "a gap answers its floor");
        assertEquals(Optional.of(new EpochEndOffset(5, 60)), log.endOffsetForEpoch(5));
        log.assignEpochStartOffset(5, 70);
        assertEquals(Optional.of(new EpochEndOffset(2, 60)), log.endOffsetForEpoch(2), "a later start changes nothing");
        // a start at or before a known epoch's start replaces it and everything after
        log.assignEpochStartOffset(3, 40);
        assertEquals(3, log.latestEpoch());
        assertEquals(Optional.of(new EpochEndOffset(1, 40)), log.endOffsetForEpoch(2));
        manager.close();
        PartitionLog reopened = open(logDir);
        assertEquals(3, reopened.latestEpoch());
    }

    @Test
    void truncationBelowTheLogStartEmptiesTheLog() {
        PartitionLog log = open(logDir);
        fill(log, "a", 30);
        log.updateHighWatermark(60);
        assertEquals(30, log.deleteRecordsBefore(30));
        manager.truncateTo(TP, 10);
        assertEquals(10, log.logStartOffset());
        assertEquals(10, log.logEndOffset());
        assertEquals(Map.of(TP, 10L), OffsetCheckpointFile.read(logDir.resolve(OffsetCheckpointFile.LOG_START)));
    }
}
