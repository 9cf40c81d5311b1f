package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static io.runnel.storage.TestBatches.idempotent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
    static final long NOW = PartitionLogTest.NOW;
    static final TopicPartition TP = new TopicPartition("events", 1);
    static final LogConfig CONFIG = LogConfig.defaults().withSegmentBytes(600).withIndexIntervalBytes(100);

    @TempDir
    Path logDir;
    @TempDir
    Path crashDir;
    final MutableClock clock = new MutableClock(NOW);
    LogManager manager;

    PartitionLog open() {
        manager = new LogManager(List.of(logDir), 60_000, clock);
        manager.loadLogs(tp -> CONFIG);
        return manager.getOrCreateLog(TP, Uuid.ONE_UUID, CONFIG);
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    Path partitionDir() {
        return logDir.resolve("events-1");
    }

    List<Path> files(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir())) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** Appends {@code count} single-record batches and closes; returns every record as "offset:value". */
    List<String> fill(int count) {
        PartitionLog log = open();
        for (int i = 0; i < count; i++) {
            log.appendAsLeader(idempotent(9, (short) 0, i, NOW + i, "value-" + i), 2);
        }
        List<String> all = PartitionLogTest.readAll(log, 0);
        manager.close();
        return all;
    }

    /** Clean shutdown followed by the loss of the marker: what an unclean stop leaves (recovery point aside). */
    void forgetCleanShutdown() throws IOException {
        Files.delete(logDir.resolve(CleanShutdownFile.NAME));
        Files.delete(logDir.resolve(OffsetCheckpointFile.RECOVERY_POINT));
    }

    static void appendBytes(Path file, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(bytes);
        }
    }

    @Test
    void aTornBatchAtTheEndIsCutAndEverythingBeforeItKept() throws IOException {
        List<String> all = fill(30);
        forgetCleanShutdown();
        Path active = files(".log").get(files(".log").size() - 1);
        long validSize = Files.size(active);
        ByteBuffer partial = batch(NOW, "torn-away");
        partial.limit(partial.limit() - 7);
        appendBytes(active, partial);

        PartitionLog log = open();
        assertEquals(validSize, Files.size(active));
        assertEquals(30, log.logEndOffset());
        assertEquals(all, PartitionLogTest.readAll(log, 0));
        for (long offset = 0; offset < 30; offset++) {
            assertEquals(all.get((int) offset), TestBatches.records(log.read(offset, 1, offset + 1, true)).get(0));
        }
        assertEquals(30, log.appendAsLeader(idempotent(9, (short) 0, 30, NOW, "after"), 2).firstOffset());
        assertEquals(2, log.latestEpoch());
    }

    @Test
    void theFilesAsAKilledProcessLeavesThemLoseNothingWritten() throws IOException {
        PartitionLog log = open();
        for (int i = 0; i < 50; i++) {
            log.appendAsLeader(idempotent(9, (short) 0, i, NOW + i, "value-" + i), 2);
        }
        List<String> all = PartitionLogTest.readAll(log, 0);
        // the page cache of a process killed now: preallocated indexes, no marker, no snapshot at the end
        Path crashed = crashDir.resolve("logs");
        copyTree(logDir, crashed);
        manager.close();

        try (LogManager recovered = new LogManager(List.of(crashed), 60_000, clock)) {
            recovered.loadLogs(tp -> CONFIG);
            PartitionLog reopened = recovered.getLog(TP).orElseThrow();
            assertEquals(50, reopened.logEndOffset());
            assertEquals(all, PartitionLogTest.readAll(reopened, 0));
            assertEquals(49, reopened.offsetForTimestamp(NOW + 49).orElseThrow().offset());
            assertEquals(true, reopened.appendAsLeader(idempotent(9, (short) 0, 49, NOW, "value-49"), 2).duplicate());
        }
    }

    @Test
    void epochsAppendedAfterTheLastFlushAreRecoveredFromTheBatchesOfAKilledProcess() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(batch(NOW, "a", "b"), 1);
        log.flush();
        log.appendAsLeader(batch(NOW, "c"), 4);
        log.appendAsLeader(batch(NOW, "d"), 6);
        // killed now: the checkpoint holds epoch 1 only, the batches of epochs 4 and 6 lie above the recovery point
        Path crashed = crashDir.resolve("logs");
        copyTree(logDir, crashed);
        assertEquals(List.of("0", "1", "1 0"),
                Files.readAllLines(crashed.resolve("events-1").resolve(LeaderEpochCache.FILE_NAME)));
        manager.close();

        try (LogManager recovered = new LogManager(List.of(crashed), 60_000, clock)) {
            recovered.loadLogs(tp -> CONFIG);
            PartitionLog reopened = recovered.getLog(TP).orElseThrow();
            assertEquals(6, reopened.latestEpoch());
            assertEquals(java.util.Optional.of(new EpochEndOffset(1, 2)), reopened.endOffsetForEpoch(1));
            assertEquals(java.util.Optional.of(new EpochEndOffset(4, 3)), reopened.endOffsetForEpoch(4));
            assertEquals(List.of("0", "3", "1 0", "4 2", "6 3"),
                    Files.readAllLines(crashed.resolve("events-1").resolve(LeaderEpochCache.FILE_NAME)));
        }
    }

    /** The files as a killed process leaves them; a file the log scheduler removes meanwhile is one it would lack. */
    /**
     * Copies the tree as a crash would leave it: a file the broker's background work deletes while the copy runs is
     * left out, whether it vanishes before its attributes are read or before its bytes are.
     */
    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                try {
                    Files.copy(file, to.resolve(from.relativize(file).toString()));
                } catch (NoSuchFileException e) {
                    // deleted since the listing
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    @Test
    void garbageAndCorruptBatchesAreCut() throws IOException {
        List<String> all = fill(12);
        forgetCleanShutdown();
        Path active = files(".log").get(files(".log").size() - 1);
        // corrupt the last batch's payload: its CRC no longer matches, so it and the garbage after it go
        long size = Files.size(active);
        try (FileChannel ch = FileChannel.open(active, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, size - 1);
            b.put(0, (byte) (b.get(0) ^ 0x55)).rewind();
            ch.write(b, size - 1);
        }
        byte[] garbage = new byte[100];
        java.util.Arrays.fill(garbage, (byte) 0x7f);
        appendBytes(active, ByteBuffer.wrap(garbage));

        PartitionLog log = open();
        assertEquals(11, log.logEndOffset());
        assertEquals(all.subList(0, 11), PartitionLogTest.readAll(log, 0));
        // the producer's last batch is gone with it, so its sequence 11 is next again
        assertEquals(11, log.appendAsLeader(idempotent(9, (short) 0, 11, NOW, "again"), 2).firstOffset());
    }

    @Test
    void segmentsAfterACorruptOneAreDropped() throws IOException {
        List<String> all = fill(30);
        forgetCleanShutdown();
        List<Path> logs = files(".log");
        assertTrue(logs.size() >= 3);
        Path second = logs.get(1);
        long secondBase = Long.parseLong(second.getFileName().toString().substring(0, 20));
        try (FileChannel ch = FileChannel.open(second, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(second) - 1);
        }

        PartitionLog log = open();
        assertEquals(2, files(".log").size());
        long end = log.logEndOffset();
        assertTrue(end > secondBase && end < 30, "end " + end);
        assertEquals(all.subList(0, (int) end), PartitionLogTest.readAll(log, 0));
        assertEquals(end, log.appendAsLeader(batch(NOW, "next"), 3).firstOffset());
    }

    @Test
    void corruptOrMissingIndexesAreRebuiltAfterACleanShutdown() throws IOException {
        List<String> all = fill(40);
        List<Path> indexes = files(".index");
        assertTrue(indexes.size() >= 3);
        Files.write(indexes.get(0), new byte[] {0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0});
        Files.delete(indexes.get(1));
        Files.write(files(".timeindex").get(2), new byte[24]);

        PartitionLog log = open();
        assertEquals(40, log.logEndOffset());
        assertEquals(all, PartitionLogTest.readAll(log, 0));
        for (long offset = 0; offset < 40; offset++) {
            assertEquals(all.get((int) offset), TestBatches.records(log.read(offset, 1, offset + 1, true)).get(0));
            assertEquals(offset, log.offsetForTimestamp(NOW + offset).orElseThrow().offset());
        }
        assertEquals(NOW + 39, log.maxTimestampOffset().orElseThrow().timestamp());
    }

    @Test
    void cleanRestartKeepsTimestampsEpochsHighWatermarkAndTopicId() throws IOException {
        PartitionLog log = open();
        for (int i = 0; i < 25; i++) {
            log.appendAsLeader(batch(NOW + (i == 7 ? 1000 : i), "v" + i), i < 10 ? 1 : 5);
        }
        log.updateHighWatermark(20);
        manager.close();
        assertTrue(Files.exists(logDir.resolve(CleanShutdownFile.NAME)));
        List<Path> timeIndexes = files(".timeindex");
        for (Path f : files(".index")) {
            assertEquals(0, Files.size(f) % OffsetIndex.ENTRY_SIZE);
        }
        assertTrue(Files.size(timeIndexes.get(timeIndexes.size() - 1)) < CONFIG.segmentIndexBytes(), "trimmed at close");

        PartitionLog reopened = open();
        assertFalse(Files.exists(logDir.resolve(CleanShutdownFile.NAME)), "marker removed at start-up");
        assertEquals(Uuid.ONE_UUID, reopened.topicId());
        assertEquals(25, reopened.logEndOffset());
        assertEquals(20, reopened.highWatermark());
        assertEquals(25, reopened.recoveryPoint());
        assertEquals(5, reopened.latestEpoch());
        assertEquals(java.util.Optional.of(new EpochEndOffset(1, 10)), reopened.endOffsetForEpoch(1));
        assertEquals(new TimestampOffset(NOW + 1000, 7, 1), reopened.maxTimestampOffset().orElseThrow());
        assertEquals(List.of("0", "2", "1 0", "5 10"), Files.readAllLines(partitionDir().resolve("leader-epoch-checkpoint")));
        assertEquals(List.of("version: 0", "topic_id: " + Uuid.ONE_UUID), Files.readAllLines(partitionDir().resolve("partition.metadata")));
    }

    @Test
    void aLostEpochCheckpointIsRebuiltFromTheBatches() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(batch(NOW, "a"), 1);
        log.appendAsLeader(batch(NOW, "b", "c"), 3);
        manager.close();
        Files.delete(partitionDir().resolve(LeaderEpochCache.FILE_NAME));

        PartitionLog reopened = open();
        assertEquals(3, reopened.latestEpoch());
        assertEquals(java.util.Optional.of(new EpochEndOffset(1, 1)), reopened.endOffsetForEpoch(1));
    }

    @Test
    void recoveryStartsAtTheCheckpointedRecoveryPoint() throws IOException {
        fill(30);
        Files.delete(logDir.resolve(CleanShutdownFile.NAME));
        List<Path> logs = files(".log");
        // damage a flushed segment below the recovery point: it is trusted, not scanned
        Path first = logs.get(0);
        long firstSize = Files.size(first);
        appendBytes(first, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Path active = logs.get(logs.size() - 1);
        appendBytes(active, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        long activeSize = Files.size(active);

        PartitionLog log = open();
        assertEquals(firstSize + 3, Files.size(first));
        assertEquals(activeSize - 3, Files.size(active));
        assertEquals(30, log.logEndOffset());
        List<String> values = new ArrayList<>();
        PartitionLogTest.readAll(log, 0).forEach(values::add);
        assertEquals(30, values.size());
    }
}
