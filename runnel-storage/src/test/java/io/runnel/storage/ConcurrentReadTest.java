package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.storage.record.BatchHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentReadTest {
    static final int BATCHES = 3000;

    @TempDir
    Path logDir;

    @Test
    void aReaderFollowingTheAppenderSeesOnlyWholeBatchesInOrder() throws Exception {
        try (LogManager manager = new LogManager(List.of(logDir), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(tp -> LogConfig.defaults());
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("c", 0), Uuid.ONE_UUID,
                    LogConfig.defaults().withSegmentBytes(8 * 1024).withIndexIntervalBytes(512));
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                long next = 0;
                while (next < (long) BATCHES * 2) {
                    for (MutableRecordBatch b : TestBatches.batches(log.read(next, 4096, Long.MAX_VALUE, true))) {
                        b.ensureValid();
                        for (Record r : b) {
                            if (r.offset() >= next) {
                                assertEquals(next, r.offset());
                                assertEquals("v" + next, StandardCharsets.UTF_8.decode(r.value()).toString());
                                next++;
                            }
                        }
                    }
                }
                return next;
            });
            for (int i = 0; i < BATCHES; i++) {
                log.appendAsLeader(batch(System.currentTimeMillis(), "v" + (2 * i), "v" + (2 * i + 1)), 0);
            }
            assertEquals(BATCHES * 2L, reader.get(60, TimeUnit.SECONDS));
        }
    }

    static final int ROUNDS = 80;

    /**
     * Readers against a log that is truncated and appended to in a loop, each round writing batches of another size:
     * every slice a read returns must be batches that were in the log at those offsets, read to its last byte
     * as sendfile would after the read returned. A segment cut in place while a reader holds its region fails this
     * (the region then runs past the file, or over batches of another round with other boundaries).
     */
    @Test
    void readsDuringTruncationReturnOnlyBatchesThatExistedAtTheirOffsets() throws Exception {
        TopicPartition tp = new TopicPartition("t", 0);
        try (LogManager manager = new LogManager(List.of(logDir), LogManagerConfig.defaults(60_000))) {
            manager.loadLogs(p -> LogConfig.defaults());
            PartitionLog log = manager.getOrCreateLog(tp, Uuid.ONE_UUID,
                    LogConfig.defaults().withSegmentBytes(2048).withIndexIntervalBytes(256));
            Map<Long, Set<String>> written = new ConcurrentHashMap<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong slicesChecked = new AtomicLong();
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(CompletableFuture.runAsync(() -> {
                    while (!done.get()) {
                        long offset = ThreadLocalRandom.current().nextLong(log.logEndOffset() + 1);
                        LogSlice slice;
                        try {
                            slice = log.read(offset, 1 + ThreadLocalRandom.current().nextInt(4096), Long.MAX_VALUE,
                                    true);
                        } catch (OffsetOutOfRangeException e) {
                            continue;
                        }
                        checkSlice(slice, offset, written);
                        slicesChecked.incrementAndGet();
                    }
                }));
            }
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    String padding = "x".repeat(round % 7 * 9);
                    int batches = 1 + round % 5;
                    for (int b = 0; b < batches; b++) {
                        long first = log.logEndOffset();
                        String[] values = new String[1 + (round + b) % 3];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = "r" + round + "@" + (first + i) + padding;
                            written.computeIfAbsent(first + i, o -> ConcurrentHashMap.newKeySet()).add(values[i]);
                        }
                        log.appendAsLeader(batch(System.currentTimeMillis(), values), 0);
                    }
                    long end = log.logEndOffset();
                    log.truncateTo(Math.max(1, end - 1 - ThreadLocalRandom.current().nextLong(6)));
                }
            } finally {
                done.set(true);
            }
            for (CompletableFuture<Void> reader : readers) {
                reader.get(60, TimeUnit.SECONDS);
            }
            assertTrue(slicesChecked.get() > 0);
        }
    }

    /** Reads the slice's bytes as sendfile would and checks them batch by batch, record by record. */
    static void checkSlice(LogSlice slice, long fetchOffset, Map<Long, Set<String>> written) {
        ByteBuffer bytes = ByteBuffer.allocate(slice.size());
        try {
            while (bytes.hasRemaining()) {
                if (slice.channel().read(bytes, slice.position() + bytes.position()) < 0) {
                    throw new AssertionError("The slice at " + slice.position() + " of " + slice.size()
                            + " bytes runs past the end of its file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.flip();
        int whole = 0;
        long previous = -1;
        for (MutableRecordBatch b : MemoryRecords.readableRecords(bytes).batches()) {
            b.ensureValid();
            assertTrue(b.baseOffset() > previous, "batches in offset order");
            assertTrue(whole > 0 || b.lastOffset() >= fetchOffset, "the first batch holds the fetch offset");
            previous = b.lastOffset();
            whole += b.sizeInBytes();
            for (Record r : b) {
                String value = StandardCharsets.UTF_8.decode(r.value()).toString();
                assertTrue(written.getOrDefault(r.offset(), Set.of()).contains(value),
                        "offset " + r.offset() + " never held " + value);
            }
        }
        assertTrue(slice.size() == 0 || whole > 0, "the first batch is whole");
        int tail = slice.size() - whole;
        assertTrue(tail < BatchHeader.LOG_OVERHEAD || BatchHeader.batchSize(bytes, whole) > tail,
                "after the whole batches, at most the start of one more, cut by the read's byte limit");
    }
}
