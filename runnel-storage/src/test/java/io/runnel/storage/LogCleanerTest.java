package io.runnel.storage;

import static io.runnel.storage.TestBatches.keyed;
import static io.runnel.storage.TestBatches.keyedRecords;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.storage.record.BatchHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Compaction: the course's example, tombstones, a large randomized workload, bounded memory, crash safety. */
class LogCleanerTest {
    static final long NOW = PartitionLogTest.NOW;
    static final TopicPartition TP = new TopicPartition("compacted", 0);
    static final LogConfig COMPACTED = LogConfig.defaults().withCleanupPolicy(true, false).withSegmentBytes(250)
            .withFileDeleteDelayMs(0).withCompaction(1000, 0, Long.MAX_VALUE, 0.5);

    @TempDir
    Path logDir;
    final MutableClock clock = new MutableClock(NOW);
    LogManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    PartitionLog open(Path dir, LogConfig config, int dedupeBytes) {
        manager = new LogManager(List.of(dir), LogManagerConfig.defaults(60_000).withCleaner(false, 1, dedupeBytes,
                15_000), clock);
        manager.loadLogs(tp -> config);
        return manager.getOrCreateLog(TP, Uuid.ONE_UUID, config);
    }

    void clean(PartitionLog log) throws IOException {
        log.updateHighWatermark(log.logEndOffset());
        assertTrue(manager.cleaner().cleanNow(log));
    }

    /** Appends each key, value pair as its own batch. */
    static void appendEach(PartitionLog log, String... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            log.appendAsLeader(keyed(NOW, keyValues[i], keyValues[i + 1]), 0);
        }
    }

    @Test
    void theCourseExampleKeepsTheLastValuePerKeyAtItsOffset() throws IOException {
        PartitionLog log = open(logDir, COMPACTED, 1 << 20);
        appendEach(log, "K0", "0", "K1", "6", "K2", "3", "K3", "2", "K4", "2", "K4", "1", "K5", "3", "K1", "2");
        // closes the segment holding offset 7: the active segment is never cleaned
        rollWith(log, "K6", "x");

        clean(log);

        assertEquals(List.of("0:K0:0", "2:K2:3", "3:K3:2", "5:K4:1", "6:K5:3", "7:K1:2", "8:K6:x"),
                keyedRecords(log));
    }

    /**
     * A log whose clean fails (a corrupt record) is left alone, as Kafka's uncleanable partitions are, so the next
     * dirtiest log is cleaned in the same pass: retried first every time, the broken log would starve it.
     */
    @Test
    void aLogWhoseCleanFailsIsLeftAloneAndTheNextDirtiestIsCleaned() throws IOException {
        PartitionLog broken = open(logDir, COMPACTED, 1 << 20);
        PartitionLog other = manager.getOrCreateLog(new TopicPartition("other", 0), Uuid.randomUuid(), COMPACTED);
        appendEach(other, "a", "1", "b", "1", "a", "2", "b", "2");
        rollWith(other, "c", "1");
        clean(other);
        // Below a dirty ratio of 1, the broken log's: the broken one is the dirtiest.
        appendEach(other, "a", "3", "b", "3", "a", "4", "b", "4", "a", "5", "b", "5");
        rollWith(other, "c", "2");
        other.updateHighWatermark(other.logEndOffset());
        appendEach(broken, "k", "1", "k", "2", "k", "3", "k", "4");
        rollWith(broken, "k", "5");
        broken.updateHighWatermark(broken.logEndOffset());
        corruptFirstRecord(LogFiles.file(broken.dir(), 0, LogFiles.LOG));

        manager.cleaner().cleanDirtiestLogs();

        assertEquals(1, manager.uncleanablePartitions(logDir));
        assertEquals(List.of("4:c:1", "9:a:5", "10:b:5", "11:c:2"), keyedRecords(other));
    }

    /** Overwrites the length of the segment's first record (after its batch header) with an endless varint. */
    static void corruptFirstRecord(Path segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            byte[] junk = new byte[8];
            Arrays.fill(junk, (byte) 0xFF);
            channel.write(ByteBuffer.wrap(junk), BatchHeader.SIZE);
        }
    }

    @Test
    void batchesKeepTheirStructureAndCompressionAndSurviveAReload() throws IOException {
        PartitionLog log = open(logDir, COMPACTED.withSegmentBytes(1 << 20), 1 << 20);
        log.appendAsLeader(keyed(Compression.gzip().build(), NOW, "a", "1", "b", "1", "c", "1"), 0);
        log.appendAsLeader(keyed(NOW, "a", "2", "b", "2"), 0);
        rollWith(log, "z", "z");
        clean(log);
        List<String> cleaned = keyedRecords(log);
        assertEquals(List.of("2:c:1", "3:a:2", "4:b:2", "5:z:z"), cleaned);

        manager.close();
        PartitionLog reopened = open(logDir, COMPACTED.withSegmentBytes(1 << 20), 1 << 20);
        assertEquals(cleaned, keyedRecords(reopened));
        assertEquals(6, reopened.logEndOffset());
    }

    @Test
    void tombstonesGoOnceDeleteRetentionMsHasPassedSinceTheyWereFirstCleaned() throws IOException {
        PartitionLog log = open(logDir, COMPACTED, 1 << 20);
        appendEach(log, "k1", "a", "k2", "b", "k1", null);
        rollWith(log, "k3", "c");

        clean(log);
        assertEquals(List.of("1:k2:b", "2:k1:null", "3:k3:c"), keyedRecords(log));
        clock.advance(999);
        clean(log);
        assertEquals(List.of("1:k2:b", "2:k1:null", "3:k3:c"), keyedRecords(log), "kept for delete.retention.ms");
        clock.advance(1);
        clean(log);
        assertEquals(List.of("1:k2:b", "3:k3:c"), keyedRecords(log));
    }

    @Test
    void unkeyedRecordsAreRefusedByACompactedLog() {
        PartitionLog log = open(logDir, COMPACTED, 1 << 20);
        assertThrows(InvalidRecordException.class, () -> log.appendAsLeader(TestBatches.batch(NOW, "v"), 0));
        ByteBuffer compressedWithNullKey = TestBatches.build(RecordBatch.MAGIC_VALUE_V2, Compression.lz4().build(),
                RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, NOW, "v");
        assertThrows(InvalidRecordException.class, () -> log.appendAsLeader(compressedWithNullKey, 0));
        assertEquals(0, log.logEndOffset());
        log.appendAsLeader(keyed(Compression.lz4().build(), NOW, "k", "v"), 0);
        assertEquals(1, log.logEndOffset());
    }

    @Test
    void aLargeRandomWorkloadWithDeletesEqualsAReferenceMap() throws IOException {
        PartitionLog log = open(logDir, COMPACTED.withSegmentBytes(64 * 1024).withCompaction(0, 0, Long.MAX_VALUE, 0.5),
                4 << 20);
        Map<String, String> reference = appendRandomWorkload(log, 200_000, 1_000, 42);
        rollWith(log, "end", "end");

        clean(log);
        clean(log); // tombstones go at the second clean, delete.retention.ms being 0

        assertMatches(reference, keyedRecords(log));
    }

    @Test
    void whenTheKeysDoNotFitTheMapEachCleanCleansWhatFits() throws IOException {
        // 23 slots of 24 bytes: 20 keys per clean, for 50 keys
        PartitionLog log = open(logDir, COMPACTED.withSegmentBytes(2048).withCompaction(0, 0, Long.MAX_VALUE, 0.5),
                24 * 23);
        Map<String, String> reference = appendRandomWorkload(log, 2_000, 50, 7);
        rollWith(log, "end", "end");
        log.updateHighWatermark(log.logEndOffset());

        int cleans = 0;
        while (manager.cleaner().dirtySection(log, clock.millis()).dirtyBytes() > 0) {
            clean(log);
            assertTrue(++cleans < 100, "cleaning makes progress");
        }
        assertTrue(cleans > 1, "the dirty section needed " + cleans + " cleans");
        clean(log);

        assertMatches(reference, keyedRecords(log));
    }

    /**
     * A crash at each stage of a clean: a {@code .cleaned} copy written, the {@code .swap} rename done, or the old
     * segment already renamed aside. The state each stage leaves is built from a finished clean of a copy of the log.
     * Reopening without a clean shutdown, then cleaning, gives exactly what an uninterrupted clean gives.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cleaned", "swap", "swap-after-old-renamed"})
    void aCleanInterruptedAtAnyStageRecoversToTheSameResult(String stage, @TempDir Path pristine,
                                                            @TempDir Path finished) throws IOException {
        LogConfig config = COMPACTED.withSegmentBytes(4096).withCompaction(0, 0, Long.MAX_VALUE, 0.5);
        PartitionLog log = open(pristine, config, 1 << 20);
        appendRandomWorkload(log, 3_000, 100, 3);
        rollWith(log, "end", "end");
        log.updateHighWatermark(log.logEndOffset());
        List<String> uncleaned = keyedRecords(log);
        manager.close();
        copy(pristine, finished);
        copy(pristine, logDir);

        log = open(finished, config, 1 << 20);
        clean(log);
        List<String> expected = keyedRecords(log);
        manager.close();

        Path partition = logDir.resolve("compacted-0");
        String segment = String.format("%020d", 0);
        Path cleanedSegment = finished.resolve("compacted-0").resolve(segment + ".log");
        Files.delete(logDir.resolve(CleanShutdownFile.NAME));
        switch (stage) {
            case "cleaned" -> Files.copy(cleanedSegment, partition.resolve(segment + ".log.cleaned"));
            case "swap" -> Files.copy(cleanedSegment, partition.resolve(segment + ".log.swap"));
            default -> {
                Files.copy(cleanedSegment, partition.resolve(segment + ".log.swap"));
                Files.move(partition.resolve(segment + ".log"), partition.resolve(segment + ".log.deleted"));
                Files.move(partition.resolve(segment + ".index"), partition.resolve(segment + ".index.deleted"));
            }
        }

        log = open(logDir, config, 1 << 20);
        List<String> recovered = keyedRecords(log);
        assertTrue(uncleaned.containsAll(recovered) && recovered.containsAll(expected),
                "recovery keeps every record of the result");
        assertEquals(stage.equals("cleaned"), recovered.equals(uncleaned), "only a swap is completed");
        try (Stream<Path> files = Files.list(partition)) {
            assertFalse(files.anyMatch(f -> f.toString().matches(".*\\.(cleaned|swap|deleted)")), "no leftovers");
        }
        clean(log);
        assertEquals(expected, keyedRecords(log));
    }

    /** Appends until the active segment rolls, then the given record in the new active segment. */
    void rollWith(PartitionLog log, String key, String value) {
        clock.advance(log.config().segmentMs() + 1);
        log.appendAsLeader(keyed(clock.millis(), key, value), 0);
        assertEquals(log.logEndOffset() - 1, log.activeBaseOffset(), "the last record is alone in the active segment");
    }

    /** Batches of 1 to 20 records over {@code keys} keys, one in ten a tombstone; returns the expected final map. */
    static Map<String, String> appendRandomWorkload(PartitionLog log, int records, int keys, long seed) {
        Random random = new Random(seed);
        Map<String, String> reference = new HashMap<>();
        int written = 0;
        while (written < records) {
            int n = Math.min(records - written, 1 + random.nextInt(20));
            String[] keyValues = new String[2 * n];
            for (int i = 0; i < n; i++) {
                String key = "key" + random.nextInt(keys);
                String value = random.nextInt(10) == 0 ? null : "v" + (written + i);
                keyValues[2 * i] = key;
                keyValues[2 * i + 1] = value;
                if (value == null) {
                    reference.remove(key);
                } else {
                    reference.put(key, value);
                }
            }
            log.appendAsLeader(keyed(NOW, keyValues), 0);
            written += n;
        }
        return reference;
    }

    /** One record per key, offsets increasing, values as in the reference, then the "end" record. */
    static void assertMatches(Map<String, String> reference, List<String> records) {
        Map<String, String> actual = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        long previous = -1;
        for (String record : records.subList(0, records.size() - 1)) {
            String[] parts = record.split(":");
            long offset = Long.parseLong(parts[0]);
            assertTrue(offset > previous, "offsets increase: " + record);
            assertTrue(seen.add(parts[1]), "one record per key: " + parts[1]);
            assertFalse(parts[2].equals("null"), "no tombstone left: " + record);
            actual.put(parts[1], parts[2]);
            previous = offset;
        }
        assertEquals(reference, new HashMap<>(actual));
        assertTrue(records.get(records.size() - 1).endsWith(":end:end"));
    }

    static void copy(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.walk(from)) {
            all = new ArrayList<>(files.toList());
        }
        for (Path source : all) {
            Path target = to.resolve(from.relativize(source).toString());
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
