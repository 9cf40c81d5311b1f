package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static io.runnel.storage.TestBatches.concat;
import static io.runnel.storage.TestBatches.records;
import static io.runnel.storage.TestBatches.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class PartitionLogTest extends LogManagerFixture {
    static final TopicPartition TP = new TopicPartition("orders", 0);

    PartitionLog log(LogConfig config) {
        return manager.getOrCreateLog(TP, Uuid.randomUuid(), config);
    }

    long segmentCount() throws IOException {
        try (Stream<Path> files = Files.list(logDir.resolve("orders-0"))) {
            return files.filter(f -> f.toString().endsWith(".log")).count();
        }
    }

    /** Every record from {@code from} to the end, following reads across segments as a consumer would. */
    static List<String> readAll(PartitionLog log, long from) {
        List<String> out = new java.util.ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            List<String> got = records(log.read(next, 1 << 20, Long.MAX_VALUE, true));
            assertFalse(got.isEmpty(), "no progress at " + next);
            for (String r : got) {
                long offset = Long.parseLong(r.substring(0, r.indexOf(':')));
                if (offset >= next) {
                    out.add(r);
                }
            }
            String last = got.get(got.size() - 1);
            next = Long.parseLong(last.substring(0, last.indexOf(':'))) + 1;
        }
        return out;
    }

    @Test
    void appendsAssignOffsetsAndReadsReturnWholeBatches() {
        PartitionLog log = log(LogConfig.defaults());
        AppendResult first = log.appendAsLeader(batch(NOW, "a", "b", "c"), 0);
        AppendResult second = log.appendAsLeader(concat(batch(NOW, "d"), batch(NOW, "e", "f")), 0);

        assertEquals(new AppendResult(0, 2, -1, 0, false), first);
        assertEquals(new AppendResult(3, 5, -1, 0, false), second);
        assertEquals(6, log.logEndOffset());
        assertEquals(List.of("0:a", "1:b", "2:c", "3:d", "4:e", "5:f"), records(log.read(0, 1 << 20, Long.MAX_VALUE, false)));
        assertEquals(List.of("3:d", "4:e", "5:f"), records(log.read(3, 1 << 20, Long.MAX_VALUE, false)));
        // the batch holding offset 1 starts at 0
        assertEquals(List.of("0:a", "1:b", "2:c", "3:d", "4:e", "5:f"), records(log.read(1, 1 << 20, Long.MAX_VALUE, false)));
        assertEquals(0, log.read(6, 1 << 20, Long.MAX_VALUE, false).size());
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(7, 100, Long.MAX_VALUE, false));
        for (MutableRecordBatch b : TestBatches.batches(log.read(0, 1 << 20, Long.MAX_VALUE, false))) {
            assertEquals(0, b.partitionLeaderEpoch());
        }
    }

    @Test
    void readHonoursMaxBytesMinOneMessageAndMaxOffset() {
        PartitionLog log = log(LogConfig.defaults());
        ByteBuffer one = batch(NOW, "a", "b");
        int batchSize = one.remaining();
        log.appendAsLeader(one, 0);
        log.appendAsLeader(batch(NOW, "c", "d"), 0);
        log.appendAsLeader(batch(NOW, "e"), 0);

        assertEquals(0, log.read(0, batchSize - 1, Long.MAX_VALUE, false).size());
        assertEquals(List.of("0:a", "1:b"), records(log.read(0, batchSize - 1, Long.MAX_VALUE, true)));
        LogSlice cut = log.read(0, batchSize + 10, Long.MAX_VALUE, false);
        assertEquals(batchSize + 10, cut.size(), "as Kafka: the slice ends at maxBytes, inside the second batch");
        assertEquals(List.of("0:a", "1:b"), records(cut));
        assertEquals(List.of("0:a", "1:b", "2:c", "3:d"), records(log.read(0, 1 << 20, 4, false)));
        assertEquals(0, log.read(2, 1 << 20, 3, false).size(), "a batch reaching past the limit is not returned");
        assertEquals(0, log.read(4, 1 << 20, 4, true).size());
    }

    @Test
    void rollsBySizeAndReadsAcrossSegments() throws IOException {
        PartitionLog log = log(LogConfig.defaults().withSegmentBytes(300));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(NOW, values("v" + i + "-", 2)), 0);
        }
        assertTrue(segmentCount() > 5, "segments: " + segmentCount());
        List<String> all = readAll(log, 0);
        assertEquals(40, all.size());
        for (int i = 0; i < 40; i++) {
            assertEquals(i + ":v" + (i / 2) + "-" + (i % 2), all.get(i));
        }
        assertEquals(all.subList(17, 40), readAll(log, 17));
        assertTrue(Files.exists(logDir.resolve("orders-0").resolve(String.format("%020d.log", 0))));
    }

    @Test
    void rollsByTime() throws IOException {
        PartitionLog log = log(LogConfig.defaults().withSegmentMs(1000));
        log.appendAsLeader(batch(NOW, "a"), 0);
        clock.advance(500);
        log.appendAsLeader(batch(NOW, "b"), 0);
        assertEquals(1, segmentCount());
        clock.advance(501);
        log.appendAsLeader(batch(NOW, "c"), 0);
        assertEquals(2, segmentCount());
        assertTrue(Files.exists(logDir.resolve("orders-0").resolve(String.format("%020d.log", 2))));
        assertEquals(List.of("0:a", "1:b", "2:c"), readAll(log, 0));
    }

    @Test
    void rollsWhenAnIndexIsFull() throws IOException {
        PartitionLog log = log(LogConfig.defaults().withSegmentIndexBytes(36).withIndexIntervalBytes(1));
        for (int i = 0; i < 12; i++) {
            log.appendAsLeader(batch(NOW + i, "v" + i), 0);
        }
        assertTrue(segmentCount() >= 3, "segments: " + segmentCount());
        assertEquals(12, readAll(log, 0).size());
        for (long offset = 0; offset < 12; offset++) {
            assertEquals(offset + ":v" + offset, records(log.read(offset, 1 << 20, offset + 1, false)).get(0));
        }
    }

    @Test
    void indexesFindEveryOffsetAndTimestamp() {
        PartitionLog log = log(LogConfig.defaults().withIndexIntervalBytes(100).withSegmentBytes(2000));
        for (int i = 0; i < 100; i++) {
            log.appendAsLeader(batch(NOW + i * 10, "v" + i), 3);
        }
        for (long offset = 0; offset < 100; offset++) {
            assertEquals(offset + ":v" + offset, records(log.read(offset, 1, Long.MAX_VALUE, true)).get(0));
            assertEquals(Optional.of(new TimestampOffset(NOW + offset * 10, offset, 3)),
                    log.offsetForTimestamp(NOW + offset * 10));
            assertEquals(Optional.of(new TimestampOffset(NOW + (offset + 1) * 10, offset + 1, 3)).filter(t -> t.offset() < 100),
                    log.offsetForTimestamp(NOW + offset * 10 + 1));
        }
        assertEquals(Optional.of(new TimestampOffset(NOW, 0, 3)), log.offsetForTimestamp(0));
        assertEquals(Optional.empty(), log.offsetForTimestamp(NOW + 10_000));
    }

    @Test
    void timestampLookupsFindRecordsInsideBatchesAndTheEarliestMax() {
        PartitionLog log = log(LogConfig.defaults().withSegmentBytes(200));
        log.appendAsLeader(batch(NOW + 50, "a"), 0);
        log.appendAsLeader(concat(batch(NOW + 10, "b"), batch(NOW + 90, "c")), 0);
        log.appendAsLeader(batch(NOW + 90, "d"), 0);
        log.appendAsLeader(batch(NOW + 30, "e"), 0);
        log.appendAsLeader(TestBatches.withTimestamps(NOW + 100, NOW + 200, NOW + 150), 0);

        assertEquals(Optional.of(new TimestampOffset(NOW + 50, 0, 0)), log.offsetForTimestamp(NOW + 20));
        assertEquals(Optional.of(new TimestampOffset(NOW + 90, 2, 0)), log.offsetForTimestamp(NOW + 60));
        assertEquals(Optional.of(new TimestampOffset(NOW + 100, 5, 0)), log.offsetForTimestamp(NOW + 95));
        assertEquals(Optional.of(new TimestampOffset(NOW + 200, 6, 0)), log.offsetForTimestamp(NOW + 150));
        assertEquals(Optional.empty(), log.offsetForTimestamp(NOW + 201));
        assertEquals(Optional.of(new TimestampOffset(NOW + 200, 6, 0)), log.maxTimestampOffset());
    }

    @Test
    void maxTimestampIsTheEarliestAmongTies() {
        PartitionLog log = log(LogConfig.defaults().withSegmentBytes(200));
        assertEquals(Optional.empty(), log.maxTimestampOffset());
        log.appendAsLeader(batch(NOW + 5, "a"), 0);
        log.appendAsLeader(batch(NOW + 90, "b"), 0);
        log.appendAsLeader(batch(NOW + 90, "c"), 0);
        log.appendAsLeader(batch(NOW + 7, "d"), 0);
        assertEquals(Optional.of(new TimestampOffset(NOW + 90, 1, 0)), log.maxTimestampOffset());
    }

    @Test
    void logAppendTimeStampsTheBatch() {
        PartitionLog log = log(LogConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));
        AppendResult result = log.appendAsLeader(batch(1, "a", "b"), 0);
        assertEquals(NOW, result.logAppendTime());
        MutableRecordBatch stored = TestBatches.batches(log.read(0, 1000, Long.MAX_VALUE, false)).get(0);
        stored.ensureValid();
        assertEquals(TimestampType.LOG_APPEND_TIME, stored.timestampType());
        assertEquals(NOW, stored.maxTimestamp());
        assertEquals(Optional.of(new TimestampOffset(NOW, 0, 0)), log.maxTimestampOffset());
    }

    @Test
    void compressedBatchesAreStoredAsReceived() {
        PartitionLog log = log(LogConfig.defaults());
        ByteBuffer compressed = TestBatches.build(RecordBatch.MAGIC_VALUE_V2, Compression.gzip().build(),
                RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, NOW,
                values("z", 50));
        int size = compressed.remaining();
        log.appendAsLeader(compressed, 0);
        assertEquals(50, log.logEndOffset());
        LogSlice slice = log.read(10, 1 << 20, Long.MAX_VALUE, false);
        assertEquals(size, slice.size());
        assertEquals("49:z49", records(slice).get(49));
    }

    @Test
    void invalidBatchesAreRejectedAndNothingIsAppended() {
        PartitionLog log = log(LogConfig.defaults().withMaxMessageBytes(500).withTimestampBounds(1000, 2000));
        log.appendAsLeader(batch(NOW, "ok"), 0);

        ByteBuffer badCrc = batch(NOW, "abc");
        badCrc.put(badCrc.limit() - 1, (byte) (badCrc.get(badCrc.limit() - 1) ^ 1));
        assertThrows(CorruptRecordException.class, () -> log.appendAsLeader(badCrc, 0));
        assertThrows(CorruptRecordException.class,
                () -> log.appendAsLeader(concat(batch(NOW, "fine"), badCrc), 0));
        ByteBuffer truncated = batch(NOW, "abc");
        truncated.limit(truncated.limit() - 3);
        assertThrows(CorruptRecordException.class, () -> log.appendAsLeader(truncated, 0));
        assertThrows(CorruptRecordException.class,
                () -> log.appendAsLeader(concat(batch(NOW, "x"), ByteBuffer.wrap(new byte[5])), 0));
        ByteBuffer v1 = TestBatches.build(RecordBatch.MAGIC_VALUE_V1, Compression.NONE, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, NOW, "old");
        assertThrows(InvalidRecordException.class, () -> log.appendAsLeader(v1, 0));
        assertThrows(RecordTooLargeException.class, () -> log.appendAsLeader(batch(NOW, values("big", 100)), 0));
        assertThrows(InvalidTimestampException.class, () -> log.appendAsLeader(batch(NOW - 1001, "old"), 0));
        assertThrows(InvalidTimestampException.class, () -> log.appendAsLeader(batch(NOW + 2001, "future"), 0));

        assertEquals(1, log.logEndOffset());
        assertEquals(List.of("0:ok"), records(log.read(0, 1 << 20, Long.MAX_VALUE, false)));
        assertEquals(new AppendResult(1, 1, -1, 0, false), log.appendAsLeader(batch(NOW + 2000, "edge"), 0));
    }

    @Test
    void batchesWithAMatchingCrcButUnreadableRecordsOrControlFlagsAreRejected() {
        PartitionLog log = log(LogConfig.defaults());
        ByteBuffer gzip = TestBatches.keyed(Compression.gzip().build(), NOW, values("z", 40));
        // Attributes bits 0-2 name the codec: 5 is none Kafka knows.
        ByteBuffer unknownCodec = TestBatches.edited(gzip, b -> b.putShort(21, (short) 5));
        assertThrows(CorruptRecordException.class, () -> log.appendAsLeader(unknownCodec, 0));
        // A corrupt deflate stream fails to inflate (CORRUPT_MESSAGE) or inflates to records that do not parse
        // (INVALID_RECORD), depending on the byte.
        ByteBuffer corruptStream = TestBatches.edited(gzip, b -> b.put(b.limit() - 12, (byte) ~b.get(b.limit() - 12)));
        ApiException refused = assertThrows(ApiException.class, () -> log.appendAsLeader(corruptStream, 0));
        assertTrue(refused instanceof CorruptRecordException || refused instanceof InvalidRecordException,
                refused.toString());
        // Record count at byte 57, last offset delta at 23: both say 21, the records are 20.
        ByteBuffer plain = batch(NOW, values("p", 20));
        ByteBuffer countTooHigh = TestBatches.edited(plain, b -> b.putInt(57, 21).putInt(23, 20));
        assertThrows(InvalidRecordException.class, () -> log.appendAsLeader(countTooHigh, 0));
        // A batch length (byte 8) so large that length plus log overhead overflows an int.
        ByteBuffer overflowingLength = TestBatches.edited(plain, b -> b.putInt(8, Integer.MAX_VALUE - 5));
        assertThrows(CorruptRecordException.class, () -> log.appendAsLeader(overflowingLength, 0));
        // Attributes bit 5: a control batch (transaction marker), which only the coordinator writes.
        ByteBuffer control = TestBatches.edited(plain, b -> b.putShort(21, (short) 0x20));
        assertThrows(InvalidRecordException.class, () -> log.appendAsLeader(control, 0));

        assertEquals(0, log.logEndOffset());
        log.appendAsLeader(gzip, 0);
        assertEquals(20, log.logEndOffset());
    }

    @Test
    void leaderEpochsAreRecordedAndAnswered() throws IOException {
        PartitionLog log = log(LogConfig.defaults());
        assertEquals(-1, log.latestEpoch());
        assertEquals(Optional.empty(), log.endOffsetForEpoch(0));
        log.appendAsLeader(batch(NOW, "a", "b"), 1);
        log.appendAsLeader(batch(NOW, "c"), 1);
        log.appendAsLeader(batch(NOW, "d"), 4);
        log.appendAsLeader(batch(NOW, "e"), 4);

        assertEquals(4, log.latestEpoch());
        assertEquals(Optional.of(new EpochEndOffset(4, 5)), log.endOffsetForEpoch(4));
        assertEquals(Optional.of(new EpochEndOffset(1, 3)), log.endOffsetForEpoch(1));
        assertEquals(Optional.of(new EpochEndOffset(1, 3)), log.endOffsetForEpoch(2), "epoch 2 never led: answered as 1");
        assertEquals(Optional.of(new EpochEndOffset(0, 0)), log.endOffsetForEpoch(0), "before every epoch");
        assertEquals(Optional.empty(), log.endOffsetForEpoch(5));
        Path checkpoint = logDir.resolve("orders-0").resolve("leader-epoch-checkpoint");
        assertFalse(Files.exists(checkpoint) && Files.readAllLines(checkpoint).size() > 2,
                "appends leave the file to the flush");
        log.flush();
        assertEquals(List.of("0", "2", "1 0", "4 3"), Files.readAllLines(checkpoint));
    }

    @Test
    void highWatermarkNeverPassesTheLogEnd() {
        PartitionLog log = log(LogConfig.defaults());
        log.appendAsLeader(batch(NOW, "a", "b"), 0);
        log.updateHighWatermark(1);
        assertEquals(1, log.highWatermark());
        log.updateHighWatermark(10);
        assertEquals(2, log.highWatermark());
    }

    @Test
    void flushMessagesFlushesInTheBackground() {
        PartitionLog log = log(LogConfig.defaults().withFlushMessages(2));
        log.appendAsLeader(batch(NOW, "a", "b", "c"), 0);
        Conditions.await(() -> log.recoveryPoint() == 3, "recovery point reaches 3");
    }

    @Test
    void updateConfigAppliesToLaterAppends() {
        PartitionLog log = log(LogConfig.defaults());
        log.appendAsLeader(batch(NOW, values("x", 20)), 0);
        log.updateConfig(LogConfig.defaults().withMaxMessageBytes(100));
        assertEquals(100, log.config().maxMessageBytes());
        assertThrows(RecordTooLargeException.class, () -> log.appendAsLeader(batch(NOW, values("x", 20)), 0));
        assertSame(log, manager.getLog(TP).orElseThrow());
    }
}
