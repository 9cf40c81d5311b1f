package io.runnel.storage;

import static io.runnel.storage.LogManagerTest.children;
import static io.runnel.storage.TestBatches.batch;
import static io.runnel.storage.TestBatches.idempotent;
import static io.runnel.storage.TestBatches.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.LogDirNotFoundException;
import org.apache.kafka.common.errors.ReplicaNotAvailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving a partition's log between the log dirs of one broker: the future log, its catch-up, the swap, restarts. */
class LogDirMoveTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final long PRODUCER = 42;

    @TempDir
    Path root;

    private Path a() {
        return root.resolve("a");
    }

    private Path b() {
        return root.resolve("b");
    }

    private LogManager open() {
        LogManager manager = new LogManager(List.of(a(), b()), LogManagerConfig.defaults(60_000));
        manager.loadLogs(tp -> LogConfig.defaults());
        return manager;
    }

    /** A log in dir a with 10 idempotent records in 5 batches, two leader epochs, a high watermark and log start. */
    private static PartitionLog written(LogManager manager) {
        PartitionLog log = manager.getOrCreateLog(TP, Uuid.ONE_UUID, LogConfig.defaults());
        log.assignEpochStartOffset(3, 0);
        for (int i = 0; i < 5; i++) {
            if (i == 3) {
                log.assignEpochStartOffset(4, log.logEndOffset());
            }
            log.appendAsLeader(idempotent(PRODUCER, (short) 0, 2 * i, System.currentTimeMillis(), "v" + 2 * i,
                    "v" + (2 * i + 1)), i < 3 ? 3 : 4);
        }
        log.updateHighWatermark(8);
        log.deleteRecordsBefore(2);
        return log;
    }

    private static List<String> all(PartitionLog log) {
        return records(log.read(log.logStartOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, false));
    }

    private static List<String> values(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i + ":v" + i);
        }
        return out;
    }

    private static String futureDirIn(Path logDir) throws IOException {
        return children(logDir).stream().filter(n -> n.startsWith("t-0.") && n.endsWith("-future")).findFirst()
                .orElse(null);
    }

    private static void copyAll(LogManager manager) {
        while (manager.copyToFuture(TP, 64) > 0) {
            // small chunks: several copies per catch-up
        }
    }

    @Test
    void aMovedLogKeepsItsRecordsEpochsProducerStateHighWatermarkAndLogStart() throws IOException {
        try (LogManager manager = open()) {
            PartitionLog old = written(manager);
            assertEquals(a(), old.dir().getParent());
            assertTrue(manager.moveLog(TP, b().toString()));
            assertTrue(futureDirIn(b()) != null, "a -future directory in the destination");
            assertEquals(8, manager.futureOffsetLag(TP));

            copyAll(manager);
            assertEquals(0, manager.futureOffsetLag(TP));
            // Appends go on to the current log while the copy exists; the swap takes them along.
            old.appendAsLeader(idempotent(PRODUCER, (short) 0, 10, System.currentTimeMillis(), "v10", "v11"), 4);
            assertEquals(2, manager.futureOffsetLag(TP));
            manager.copyToFuture(TP, 1);
            assertEquals(0, manager.futureOffsetLag(TP));
            old.appendAsLeader(idempotent(PRODUCER, (short) 0, 12, System.currentTimeMillis(), "v12"), 4);

            PartitionLog moved = manager.replaceCurrentWithFuture(TP);
            assertEquals(b(), moved.dir().getParent());
            assertEquals(moved, manager.getLog(TP).orElseThrow());
            assertTrue(manager.futureLog(TP).isEmpty());
            assertEquals(values(2, 13), all(moved));
            assertEquals(2, moved.logStartOffset());
            assertEquals(8, moved.highWatermark());
            assertEquals(4, moved.latestEpoch());
            assertEquals(3, moved.logStartEpoch());
            assertEquals(old.endOffsetForEpoch(3), moved.endOffsetForEpoch(3));
            assertEquals(12, moved.activeProducers().get(0).lastSequence());
            // The producer state came along: a retried batch is a duplicate, the next sequence appends.
            assertTrue(moved.appendAsLeader(idempotent(PRODUCER, (short) 0, 12, System.currentTimeMillis(), "v12"), 4)
                    .duplicate());
            moved.appendAsLeader(idempotent(PRODUCER, (short) 0, 13, System.currentTimeMillis(), "v13"), 4);
            assertTrue(children(b()).contains("t-0"));
            assertTrue(futureDirIn(b()) == null);
            assertFalse(children(a()).contains("t-0"), "the old dir was renamed for deletion");
            // Reads handed out before the swap finish on the old files.
            assertEquals(values(2, 13), all(old));
        }
        try (LogManager manager = open()) {
            PartitionLog log = manager.getLog(TP).orElseThrow();
            assertEquals(b(), log.dir().getParent());
            assertEquals(values(2, 14), all(log));
            assertEquals(1, manager.allLogs().size());
            Conditions.await(() -> !Files.exists(a()) || a().toFile().list((d, n) -> n.startsWith("t-0")).length == 0,
                    "the old log's directory is deleted");
        }
    }

    @Test
    void aMoveToItsOwnDirIsNothingToDoAndAnUnknownDirIsRefused() throws IOException {
        try (LogManager manager = open()) {
            written(manager);
            assertFalse(manager.moveLog(TP, a().toString()));
            assertFalse(manager.moveLog(TP, a().resolve("..").resolve("a").toString()));
            assertTrue(manager.futureLog(TP).isEmpty());
            assertThrows(LogDirNotFoundException.class, () -> manager.moveLog(TP, root.resolve("c").toString()));
            // A move back to the current dir abandons the one under way and deletes its copy.
            assertTrue(manager.moveLog(TP, b().toString()));
            assertFalse(manager.moveLog(TP, a().toString()));
            assertTrue(manager.futureLog(TP).isEmpty());
            assertTrue(futureDirIn(b()) == null);
        }
    }

    @Test
    void aReplicaNotHostedYetIsCreatedInTheDirAskedFor() {
        try (LogManager manager = open()) {
            TopicPartition other = new TopicPartition("u", 0);
            manager.getOrCreateLog(new TopicPartition("t", 1), Uuid.ONE_UUID, LogConfig.defaults()); // a holds one
            assertThrows(ReplicaNotAvailableException.class, () -> manager.moveLog(other, a().toString()));
            PartitionLog log = manager.getOrCreateLog(other, Uuid.ONE_UUID, LogConfig.defaults());
            assertEquals(a(), log.dir().getParent(), "not the least loaded dir b: the one asked for");
        }
    }

    @Test
    void aTruncatedCurrentLogTruncatesItsCopy() throws IOException {
        try (LogManager manager = open()) {
            PartitionLog old = written(manager);
            manager.moveLog(TP, b().toString());
            copyAll(manager);
            manager.truncateTo(TP, 6);
            assertEquals(6, manager.futureLog(TP).orElseThrow().logEndOffset());
            old.appendAsFollower(TestBatches.replicated(batch(System.currentTimeMillis(), "w6", "w7"), 6, 5));
            copyAll(manager);
            PartitionLog moved = manager.replaceCurrentWithFuture(TP);
            List<String> expected = new ArrayList<>(values(2, 6));
            expected.addAll(List.of("6:w6", "7:w7"));
            assertEquals(expected, all(moved));
            assertEquals(5, moved.latestEpoch());
        }
    }

    @Test
    void aRestartResumesAMoveFromItsFutureDirectory() throws IOException {
        try (LogManager manager = open()) {
            written(manager);
            manager.moveLog(TP, b().toString());
            manager.copyToFuture(TP, 1); // one batch of five
        }
        // A kill: the dirs lose their clean-shutdown markers, so both logs are recovered.
        Files.delete(a().resolve(CleanShutdownFile.NAME));
        Files.delete(b().resolve(CleanShutdownFile.NAME));
        try (LogManager manager = open()) {
            PartitionLog current = manager.getLog(TP).orElseThrow();
            assertEquals(a(), current.dir().getParent());
            assertTrue(manager.futureLog(TP).isPresent());
            assertEquals(Set.of(TP), Set.copyOf(manager.movingPartitions()));
            assertEquals(List.of(), manager.logsIn(b()));
            copyAll(manager);
            assertEquals(values(2, 10), all(manager.replaceCurrentWithFuture(TP)));
        }
    }

    @Test
    void aCrashBetweenTheRenamesOfASwapLoadsTheCompleteCopyAsTheCurrentLog() throws IOException {
        try (LogManager manager = open()) {
            written(manager);
            manager.moveLog(TP, b().toString());
            copyAll(manager);
        }
        // Where PartitionLog.handOverTo leaves a killed broker: the old log renamed for deletion, the copy not yet.
        Files.move(a().resolve("t-0"), a().resolve("t-0.0123456789abcdef0123456789abcdef-delete"));
        Files.delete(b().resolve(CleanShutdownFile.NAME));
        try (LogManager manager = open()) {
            PartitionLog log = manager.getLog(TP).orElseThrow();
            assertEquals(b().resolve("t-0"), log.dir());
            assertEquals(values(2, 10), all(log));
            assertTrue(manager.futureLog(TP).isEmpty());
            assertTrue(futureDirIn(b()) == null);
            assertEquals(Uuid.ONE_UUID, log.topicId());
        }
    }

    @Test
    void deletingAMovingLogDeletesItsCopyToo() throws IOException {
        try (LogManager manager = open()) {
            written(manager);
            manager.moveLog(TP, b().toString());
            copyAll(manager);
            manager.deleteLog(TP);
            assertTrue(manager.futureLog(TP).isEmpty());
            assertTrue(futureDirIn(b()) == null);
        }
        try (LogManager manager = open()) {
            assertTrue(manager.getLog(TP).isEmpty());
        }
    }
}
