package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static io.runnel.storage.TestBatches.concat;
import static io.runnel.storage.TestBatches.idempotent;
import static io.runnel.storage.TestBatches.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotentProducerTest {
    static final long NOW = PartitionLogTest.NOW;
    static final TopicPartition TP = new TopicPartition("pay", 3);
    static final long PID = 42;

    @TempDir
    Path logDir;
    final MutableClock clock = new MutableClock(NOW);
    LogManager manager;

    PartitionLog open() {
        manager = new LogManager(List.of(logDir), 60_000, clock);
        manager.loadLogs(tp -> LogConfig.defaults().withSegmentBytes(400));
        return manager.getOrCreateLog(TP, Uuid.ONE_UUID, LogConfig.defaults().withSegmentBytes(400));
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void aRetriedBatchGetsItsOriginalOffsets() {
        PartitionLog log = open();
        log.appendAsLeader(batch(NOW, "other"), 0);
        AppendResult first = log.appendAsLeader(idempotent(PID, (short) 0, 0, NOW, "a", "b"), 0);
        log.appendAsLeader(idempotent(PID, (short) 0, 2, NOW, "c"), 0);

        AppendResult retry = log.appendAsLeader(idempotent(PID, (short) 0, 0, NOW, "a", "b"), 0);
        assertEquals(new AppendResult(1, 2, -1, 0, true), retry);
        assertEquals(new AppendResult(1, 2, -1, 0, false), first);
        assertEquals(4, log.logEndOffset());
    }

    @Test
    void sequenceGapsAndUnknownProducersAreOutOfOrder() {
        PartitionLog log = open();
        assertThrows(OutOfOrderSequenceException.class, () -> log.appendAsLeader(idempotent(PID, (short) 0, 5, NOW, "a"), 0));
        log.appendAsLeader(idempotent(PID, (short) 0, 0, NOW, "a"), 0);
        assertThrows(OutOfOrderSequenceException.class, () -> log.appendAsLeader(idempotent(PID, (short) 0, 2, NOW, "c"), 0));
        // a request whose second batch skips a sequence fails as a whole
        assertThrows(OutOfOrderSequenceException.class, () -> log.appendAsLeader(concat(
                idempotent(PID, (short) 0, 1, NOW, "b"), idempotent(PID, (short) 0, 3, NOW, "d")), 0));
        assertEquals(1, log.logEndOffset());
        log.appendAsLeader(concat(idempotent(PID, (short) 0, 1, NOW, "b"), idempotent(PID, (short) 0, 2, NOW, "c")), 0);
        assertEquals(List.of("0:a", "1:b", "2:c"), records(log.read(0, 1 << 20, Long.MAX_VALUE, false)));
    }

    @Test
    void onlyTheLastFiveBatchesAreRememberedAndSequencesWrap() {
        PartitionLog log = open();
        for (int i = 0; i < 7; i++) {
            log.appendAsLeader(idempotent(PID, (short) 0, i, NOW, "x"), 0);
        }
        // batches 2..6 are retained: sequence 1 is neither a duplicate nor the next one
        assertThrows(OutOfOrderSequenceException.class, () -> log.appendAsLeader(idempotent(PID, (short) 0, 1, NOW, "x"), 0));
        assertEquals(true, log.appendAsLeader(idempotent(PID, (short) 0, 2, NOW, "x"), 0).duplicate());
        ProducerEntry entry = new ProducerEntry((short) 0);
        entry.add(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0, 1, NOW);
        assertEquals(Integer.MAX_VALUE, entry.lastSequence());
        assertEquals(0, io.runnel.storage.record.BatchHeader.addSequence(entry.lastSequence(), 1));
    }

    @Test
    void oldEpochsAreFencedAndNewEpochsStartAtZero() {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(PID, (short) 3, 0, NOW, "a"), 0);
        assertThrows(InvalidProducerEpochException.class, () -> log.appendAsLeader(idempotent(PID, (short) 2, 1, NOW, "b"), 0));
        assertThrows(OutOfOrderSequenceException.class, () -> log.appendAsLeader(idempotent(PID, (short) 4, 1, NOW, "b"), 0));
        log.appendAsLeader(idempotent(PID, (short) 4, 0, NOW, "b"), 0);
        assertThrows(InvalidProducerEpochException.class, () -> log.appendAsLeader(idempotent(PID, (short) 3, 1, NOW, "c"), 0));
        assertEquals(2, log.logEndOffset());
    }

    @Test
    void stateSurvivesCleanRestart() {
        PartitionLog log = open();
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(idempotent(PID, (short) 0, i, NOW, "v" + i), 0);
        }
        manager.close();

        PartitionLog reopened = open();
        assertEquals(new AppendResult(9, 9, -1, 0, true), reopened.appendAsLeader(idempotent(PID, (short) 0, 9, NOW, "v9"), 0));
        assertThrows(OutOfOrderSequenceException.class, () -> reopened.appendAsLeader(idempotent(PID, (short) 0, 11, NOW, "x"), 0));
        assertEquals(10, reopened.appendAsLeader(idempotent(PID, (short) 0, 10, NOW, "v10"), 0).firstOffset());
    }

    @Test
    void stateIsRebuiltFromTheLogWithoutSnapshotsAfterAnUncleanStop() throws IOException {
        PartitionLog log = open();
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(idempotent(PID, (short) 2, i, NOW, "v" + i), 0);
        }
        manager.close();
        Files.delete(logDir.resolve(CleanShutdownFile.NAME));
        try (Stream<Path> files = Files.list(logDir.resolve("pay-3"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".snapshot")).toList()) {
                Files.delete(f);
            }
        }

        PartitionLog reopened = open();
        assertEquals(new AppendResult(8, 8, -1, 0, true), reopened.appendAsLeader(idempotent(PID, (short) 2, 8, NOW, "v8"), 0));
        assertThrows(InvalidProducerEpochException.class, () -> reopened.appendAsLeader(idempotent(PID, (short) 1, 10, NOW, "x"), 0));
        assertEquals(10, reopened.appendAsLeader(idempotent(PID, (short) 2, 10, NOW, "v10"), 0).firstOffset());
    }

    @Test
    void snapshotsAreWrittenAtRollAndClose() throws IOException {
        PartitionLog log = open();
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(idempotent(PID, (short) 0, i, NOW, "value-" + i), 0);
        }
        long end = log.logEndOffset();
        manager.close();
        try (Stream<Path> files = Files.list(logDir.resolve("pay-3"))) {
            List<String> snapshots = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".snapshot")).sorted().toList();
            assertEquals(String.format("%020d.snapshot", end), snapshots.get(snapshots.size() - 1));
            assertEquals(true, snapshots.size() > 2, snapshots.toString());
        }
    }
}
