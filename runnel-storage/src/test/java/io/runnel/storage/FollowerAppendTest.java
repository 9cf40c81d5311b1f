package io.runnel.storage;

import static io.runnel.storage.TestBatches.batch;
import static io.runnel.storage.TestBatches.concat;
import static io.runnel.storage.TestBatches.idempotent;
import static io.runnel.storage.TestBatches.records;
import static io.runnel.storage.TestBatches.replicated;
import static io.runnel.storage.TestBatches.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class FollowerAppendTest extends LogManagerFixture {
    static final TopicPartition TP = new TopicPartition("replicated", 0);

    PartitionLog log(LogConfig config) {
        return manager.getOrCreateLog(TP, Uuid.randomUuid(), config);
    }

    @Test
    void keepsTheLeadersOffsetsEpochsAndTimestamps() {
        // LogAppendTime here must not rewrite the leader's timestamps, nor an old timestamp be refused.
        PartitionLog log = log(LogConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));
        long old = NOW - 30L * 24 * 3600 * 1000;
        assertEquals(3, log.appendAsFollower(concat(replicated(batch(old, "a", "b"), 0, 4),
                replicated(batch(old, "c"), 2, 4))));
        assertEquals(5, log.appendAsFollower(replicated(batch(NOW, "d", "e"), 3, 7)));

        assertEquals(5, log.logEndOffset());
        assertEquals(List.of("0:a", "1:b", "2:c", "3:d", "4:e"), records(log.read(0, 1 << 20, Long.MAX_VALUE, true)));
        List<MutableRecordBatch> stored = TestBatches.batches(log.read(0, 1 << 20, Long.MAX_VALUE, true));
        assertEquals(List.of(4, 4, 7), stored.stream().map(MutableRecordBatch::partitionLeaderEpoch).toList());
        assertEquals(old, stored.get(0).maxTimestamp());
        assertEquals(TimestampType.CREATE_TIME, stored.get(0).timestampType());
        assertEquals(7, log.latestEpoch());
        assertEquals(7, log.lastBatchEpoch());
        assertEquals(Optional.of(new EpochEndOffset(4, 3)), log.endOffsetForEpoch(4));
        assertEquals(Optional.of(new EpochEndOffset(4, 3)), log.endOffsetForEpoch(5), "a gap answers its floor");
        assertEquals(Optional.of(new EpochEndOffset(7, 5)), log.endOffsetForEpoch(7));
    }

    @Test
    void aGapOrAnOverlapWithTheLogEndIsRefusedNamingBothOffsets() {
        PartitionLog log = log(LogConfig.defaults());
        log.appendAsFollower(replicated(batch(NOW, "a", "b"), 0, 1));

        InvalidRecordException gap = assertThrows(InvalidRecordException.class,
                () -> log.appendAsFollower(replicated(batch(NOW, "x"), 5, 1)));
        assertTrue(gap.getMessage().contains("offset 5") && gap.getMessage().contains("next offset is 2"),
                gap.getMessage());
        InvalidRecordException overlap = assertThrows(InvalidRecordException.class,
                () -> log.appendAsFollower(replicated(batch(NOW, "x"), 1, 1)));
        assertTrue(overlap.getMessage().contains("offset 1") && overlap.getMessage().contains("next offset is 2"),
                overlap.getMessage());
        // within one fetch: the second batch must follow the first
        assertThrows(InvalidRecordException.class, () -> log.appendAsFollower(
                concat(replicated(batch(NOW, "x"), 2, 1), replicated(batch(NOW, "y"), 4, 1))));
        assertEquals(2, log.logEndOffset(), "nothing of a refused fetch is appended");
    }

    @Test
    void aBatchLargerThanMaxMessageBytesIsReplicated() {
        // The leader accepted it before max.message.bytes was lowered (or before this follower applied the change):
        // refusing it would stop replication of the partition for good, so the size is the leader's check alone.
        PartitionLog log = log(LogConfig.defaults().withMaxMessageBytes(100));
        assertEquals(1, log.appendAsFollower(replicated(batch(NOW, "x".repeat(500)), 0, 1)));
        assertThrows(RecordTooLargeException.class, () -> log.appendAsLeader(batch(NOW, "y".repeat(500)), 1));
    }

    @Test
    void aCompactedTopicAcceptsTheGapsItsLeadersCleanerLeft() {
        PartitionLog log = log(LogConfig.defaults().withCleanupPolicy(true, false));
        log.appendAsFollower(replicated(TestBatches.keyed(NOW, "k", "v"), 0, 1));
        assertEquals(11, log.appendAsFollower(replicated(TestBatches.keyed(NOW, "k", "w"), 10, 1)));
        assertThrows(InvalidRecordException.class,
                () -> log.appendAsFollower(replicated(TestBatches.keyed(NOW, "k", "z"), 3, 1)));
    }

    @Test
    void corruptOrOldFormatBatchesAreRefused() {
        PartitionLog log = log(LogConfig.defaults());
        ByteBuffer corrupt = replicated(batch(NOW, "a"), 0, 1);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 1));
        assertThrows(CorruptRecordException.class, () -> log.appendAsFollower(corrupt));
        ByteBuffer v1 = TestBatches.build(RecordBatch.MAGIC_VALUE_V1, Compression.NONE, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, NOW, "a");
        assertThrows(InvalidRecordException.class, () -> log.appendAsFollower(v1));
        assertEquals(0, log.logEndOffset());
    }

    @Test
    void aFollowerThatBecomesLeaderKeepsDeduplicating() {
        PartitionLog log = log(LogConfig.defaults());
        for (int seq = 0; seq < 3; seq++) {
            log.appendAsFollower(replicated(idempotent(7, (short) 0, seq, NOW, "r" + seq), 10L * seq, 1));
            log.appendAsFollower(replicated(batch(NOW, values("pad", 9)), 10L * seq + 1, 1));
        }
        log.assignEpochStartOffset(2, log.logEndOffset());

        AppendResult retry = log.appendAsLeader(idempotent(7, (short) 0, 2, NOW, "r2"), 2);
        assertTrue(retry.duplicate());
        assertEquals(20, retry.firstOffset());
        assertThrows(OutOfOrderSequenceException.class,
                () -> log.appendAsLeader(idempotent(7, (short) 0, 5, NOW, "r5"), 2));
        assertEquals(30, log.appendAsLeader(idempotent(7, (short) 0, 3, NOW, "r3"), 2).firstOffset());
    }

    @Test
    void rollsSegmentsAndIndexesAsLeaderAppendsDo() throws IOException {
        PartitionLog log = log(LogConfig.defaults().withSegmentBytes(400).withIndexIntervalBytes(100));
        for (int i = 0; i < 40; i++) {
            log.appendAsFollower(replicated(batch(NOW + i, "v" + (2 * i), "v" + (2 * i + 1)), 2L * i, 1));
        }
        try (Stream<Path> files = Files.list(logDir.resolve("replicated-0"))) {
            assertTrue(files.filter(f -> f.toString().endsWith(".log")).count() > 5);
        }
        List<String> all = PartitionLogTest.readAll(log, 0);
        assertEquals(80, all.size());
        assertEquals("57:v57", PartitionLogTest.readAll(log, 57).get(0));
        assertEquals(56, log.offsetForTimestamp(NOW + 28).orElseThrow().offset());
    }
}
