package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static io.runnel.storage.TestBatches.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    static final long NOW = PartitionLogTest.NOW;

    @TempDir
    Path root;

    static Set<String> children(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    @Test
    void newLogsGoToTheLeastLoadedDirAndReloadFromBoth() throws IOException {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        try (LogManager manager = new LogManager(List.of(a, b), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            for (int p = 0; p < 4; p++) {
                manager.getOrCreateLog(new TopicPartition("t", p), Uuid.ONE_UUID, LogConfig.defaults())
                        .appendAsLeader(batch(System.currentTimeMillis(), "p" + p), 0);
            }
            assertEquals(2, children(a).stream().filter(n -> n.startsWith("t-")).count());
            assertEquals(2, children(b).stream().filter(n -> n.startsWith("t-")).count());
            assertThrows(InconsistentTopicIdException.class,
                    () -> manager.getOrCreateLog(new TopicPartition("t", 0), Uuid.randomUuid(), LogConfig.defaults()));
        }
        assertTrue(children(a).containsAll(Set.of(".kafka_cleanshutdown", "recovery-point-offset-checkpoint",
                "replication-offset-checkpoint", "log-start-offset-checkpoint")));
        try (LogManager manager = new LogManager(List.of(a, b), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            assertEquals(4, manager.allLogs().size());
            for (int p = 0; p < 4; p++) {
                PartitionLog log = manager.getLog(new TopicPartition("t", p)).orElseThrow();
                assertEquals(List.of("0:p" + p), records(log.read(0, 1000, Long.MAX_VALUE, false)));
                assertEquals(Uuid.ONE_UUID, log.topicId());
            }
        }
    }

    @Test
    void aNewLogGoesToTheDirWithFewestPartitionsCountingLoadedOnesNotDeletedOnes() throws IOException {
        // As Kafka's LogManager.nextLogDirs: the count of partitions decides, not bytes; a tie goes to the first dir.
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        try (LogManager manager = new LogManager(List.of(a), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            for (int p = 0; p < 3; p++) {
                manager.getOrCreateLog(new TopicPartition("old", p), Uuid.ONE_UUID, LogConfig.defaults());
            }
        }
        try (LogManager manager = new LogManager(List.of(a, b), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            for (int p = 0; p < 3; p++) {
                assertEquals(b, dirOf(manager.getOrCreateLog(new TopicPartition("new", p), Uuid.ONE_UUID,
                        LogConfig.defaults())));
            }
            assertEquals(a, dirOf(manager.getOrCreateLog(new TopicPartition("new", 3), Uuid.ONE_UUID,
                    LogConfig.defaults())));
            manager.deleteLog(new TopicPartition("old", 0));
            manager.deleteLog(new TopicPartition("old", 1));
            assertEquals(a, dirOf(manager.getOrCreateLog(new TopicPartition("new", 4), Uuid.ONE_UUID,
                    LogConfig.defaults())));
        }
    }

    @Test
    void anIoErrorTakesItsWholeLogDirOfflineWhileTheOtherDirKeepsServing() throws IOException {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        LogConfig smallSegments = LogConfig.defaults().withSegmentBytes(200);
        try (LogManager manager = new LogManager(List.of(a, b), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> smallSegments);
            Map<Path, List<TopicPartition>> reported = new ConcurrentHashMap<>();
            manager.onLogDirFailure(reported::put);
            for (int p = 0; p < 4; p++) {
                manager.getOrCreateLog(new TopicPartition("t", p), Uuid.ONE_UUID, smallSegments);
            }
            PartitionLog failing = manager.getLog(new TopicPartition("t", 0)).orElseThrow();
            assertEquals(a, dirOf(failing));
            // The disk loses the partition's directory: appends go on to the open segment until a roll needs a file.
            deleteTree(failing.dir());
            assertThrows(KafkaStorageException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    failing.appendAsLeader(batch(NOW, "value-" + i), 0);
                }
            });
            assertTrue(manager.isOffline(a));
            assertFalse(manager.isOffline(b));
            Conditions.await(() -> reported.containsKey(a), "the failure of " + a + " is reported");
            assertEquals(Set.of(new TopicPartition("t", 0), new TopicPartition("t", 2)), Set.copyOf(reported.get(a)));
            assertEquals(Set.of(a), reported.keySet(), "one report, of the failed dir only");
            assertTrue(manager.getLog(new TopicPartition("t", 2)).isEmpty(), "the failed dir's logs are not served");
            PartitionLog healthy = manager.getLog(new TopicPartition("t", 1)).orElseThrow();
            healthy.appendAsLeader(batch(NOW, "still"), 0);
            assertEquals(List.of("0:still"), records(healthy.read(0, 1000, Long.MAX_VALUE, false)));
            assertEquals(b, dirOf(manager.getOrCreateLog(new TopicPartition("t", 4), Uuid.ONE_UUID, smallSegments)),
                    "new logs go to the dirs still online");
        }
        assertTrue(children(b).contains(".kafka_cleanshutdown"));
        assertFalse(children(a).contains(".kafka_cleanshutdown"), "an offline dir is not marked cleanly shut down");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    private static Path dirOf(PartitionLog log) {
        return log.dir().getParent();
    }

    @Test
    void aLogLoadedWithoutItsTopicIdTakesTheOneTheMetadataNames() throws IOException {
        // A broker stopped between creating a partition's directory and writing its partition.metadata.
        Path dir = root.resolve("logs");
        Files.createDirectories(dir.resolve("t-0"));
        Uuid id = Uuid.randomUuid();
        try (LogManager manager = new LogManager(List.of(dir), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            assertEquals(Uuid.ZERO_UUID, manager.getLog(new TopicPartition("t", 0)).orElseThrow().topicId());
            assertEquals(id, manager.getOrCreateLog(new TopicPartition("t", 0), id, LogConfig.defaults()).topicId());
        }
        try (LogManager manager = new LogManager(List.of(dir), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            assertEquals(id, manager.getLog(new TopicPartition("t", 0)).orElseThrow().topicId(), "written to disk");
        }
    }

    @Test
    void loadSkipsTheMetadataLogAndFinishesPendingDeletes() throws IOException {
        Path dir = root.resolve("logs");
        Files.createDirectories(dir.resolve("__cluster_metadata-0"));
        Files.createDirectories(dir.resolve("t-0.0123456789abcdef0123456789abcdef-delete"));
        Files.writeString(dir.resolve("t-0.0123456789abcdef0123456789abcdef-delete").resolve("00000000000000000000.log"), "x");
        Files.createDirectories(dir.resolve("not_a_partition"));
        try (LogManager manager = new LogManager(List.of(dir), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            assertTrue(manager.allLogs().isEmpty());
            Conditions.await(() -> !Files.exists(dir.resolve("t-0.0123456789abcdef0123456789abcdef-delete")),
                    "the -delete directory is removed");
            assertTrue(Files.exists(dir.resolve("__cluster_metadata-0")));
        }
    }

    @Test
    void deletedLogsAreRenamedThenRemovedAfterTheDelay() throws IOException {
        Path dir = root.resolve("logs");
        TopicPartition tp = new TopicPartition("gone", 2);
        try (LogManager manager = new LogManager(List.of(dir), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(t -> LogConfig.defaults());
            PartitionLog log = manager.getOrCreateLog(tp, Uuid.ONE_UUID, LogConfig.defaults().withFileDeleteDelayMs(200));
            log.appendAsLeader(batch(System.currentTimeMillis(), "a"), 0);
            LogSlice inFlight = log.read(0, 1000, Long.MAX_VALUE, false);

            manager.deleteLog(tp);
            assertEquals(Optional.empty(), manager.getLog(tp));
            assertFalse(Files.exists(dir.resolve("gone-2")));
            Set<String> names = children(dir);
            assertTrue(names.stream().anyMatch(n -> n.matches("gone-2\\.[0-9a-f]{32}-delete")), names.toString());
            // a read handed out before the delete still completes
            assertEquals(List.of("0:a"), records(inFlight));
            assertThrows(KafkaStorageException.class, () -> log.appendAsLeader(batch(System.currentTimeMillis(), "b"), 0));
            Conditions.await(() -> {
                try {
                    return children(dir).stream().noneMatch(n -> n.startsWith("gone-2"));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "the deleted log's files are removed");
        }
    }

    @Test
    void parsesPartitionDirectoryNames() {
        assertEquals(new TopicPartition("my-topic", 12), LogDirLoader.parseTopicPartition("my-topic-12"));
        assertEquals(null, LogDirLoader.parseTopicPartition("topic"));
        assertEquals(null, LogDirLoader.parseTopicPartition("topic-"));
        assertEquals(null, LogDirLoader.parseTopicPartition("topic-x"));
    }

    @Test
    void metaPropertiesRoundTrip() throws IOException {
        Path dir = root.resolve("meta");
        assertEquals(Optional.empty(), MetaProperties.read(dir));
        Uuid directoryId = Uuid.randomUuid();
        MetaProperties.write(dir, "MkU3OEVBNTcwNTJENDM2Qk", 3, directoryId);
        MetaProperties read = MetaProperties.read(dir).orElseThrow();
        assertEquals("MkU3OEVBNTcwNTJENDM2Qk", read.clusterId());
        assertEquals(3, read.nodeId());
        assertEquals(directoryId, read.directoryId());
        List<String> lines = Files.readAllLines(dir.resolve("meta.properties"));
        assertTrue(lines.containsAll(List.of("version=1", "node.id=3", "cluster.id=MkU3OEVBNTcwNTJENDM2Qk",
                "directory.id=" + directoryId)), lines.toString());
    }
}
