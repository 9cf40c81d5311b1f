package io.runnel.storage.record;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * The record-level half of log compaction, on stored batches: reading the keys of a dirty section, and rewriting
 * batches keeping only the records the offset map keeps. One instance per cleaner thread (it reuses its
 * decompression buffers).
 */
public final class CompactedRecords {
    /** Sees one keyed record; returns false to stop (the offset map is full). */
    public interface KeyVisitor {
        boolean visit(ByteBuffer key, long offset);
    }

    /** The offset map: the latest offset of a key in the section it covers, or -1. */
    public interface LatestOffsets {
        long latest(ByteBuffer key);
    }

    /** The kept batches, and whether a kept tombstone awaits its delete horizon. */
    public record Filtered(ByteBuffer batches, boolean tombstonesKept) {
    }

    private final BufferSupplier buffers = BufferSupplier.create();

    /**
     * Visits the keyed data records at or after {@code fromOffset}, in offset order. Returns false if the visitor
     * stopped.
     */
    public boolean forEachKey(ByteBuffer batches, long fromOffset, KeyVisitor visitor) {
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches).batches()) {
            if (batch.isControlBatch() || batch.lastOffset() < fromOffset) {
                continue;
            }
            try (CloseableIterator<Record> records = batch.streamingIterator(buffers)) {
                while (records.hasNext()) {
                    Record record = records.next();
                    if (record.offset() >= fromOffset && record.hasKey()
                            && !visitor.visit(record.key(), record.offset())) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Rewrites {@code batches} into {@code output} (grown if needed) as Kafka's cleaner does: each batch keeps its
     * producer id, epoch, sequences, leader epoch and compression, and only the records that are the latest for their
     * key; records from {@code mapEnd} on, which the map does not cover, are all kept. A record without key is
     * dropped; a covered tombstone is dropped once its batch's delete horizon (set to now + delete.retention.ms the
     * first time a clean keeps it) has passed. A batch left empty disappears, except a producer's last one, kept so
     * that its sequence state survives a reload.
     */
    public Filtered filter(ByteBuffer batches, ByteBuffer output, long nowMs, long deleteRetentionMs,
                           LatestOffsets map, long mapEnd, Map<Long, Long> lastProducerBatches) {
        boolean[] tombstonesKept = new boolean[1];
        MemoryRecords.RecordFilter filter = new MemoryRecords.RecordFilter(nowMs, deleteRetentionMs) {
            @Override
            protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
                boolean producersLast = batch.hasProducerId()
                        && Long.valueOf(batch.lastOffset()).equals(lastProducerBatches.get(batch.producerId()));
                return new BatchRetentionResult(producersLast ? BatchRetention.RETAIN_EMPTY
                        : BatchRetention.DELETE_EMPTY, false);
            }

            @Override
            protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
                if (batch.isControlBatch()) {
                    return true;
                }
                if (!record.hasKey()) {
                    return false;
                }
                if (record.offset() >= mapEnd) {
                    return true;
                }
                if (map.latest(record.key()) > record.offset()) {
                    return false;
                }
                if (record.hasValue()) {
                    return true;
                }
                boolean expired = batch.deleteHorizonMs().isPresent() && nowMs >= batch.deleteHorizonMs().getAsLong();
                tombstonesKept[0] |= !expired;
                return !expired;
            }
        };
        output.clear();
        MemoryRecords.FilterResult result = MemoryRecords.readableRecords(batches)
                .filterTo(filter, output, buffers, Integer.MAX_VALUE - 8);
        return new Filtered(result.outputBuffer().flip(), tombstonesKept[0]);
    }
}
