package io.runnel.storage.record;

import java.nio.ByteBuffer;

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

    /**
     * The transactions of the section being cleaned, told every batch in offset order: which data belongs to an
     * aborted transaction, and which markers no longer guard any data.
     */
    public interface Transactions {
        /** A data batch; true if it belongs to an aborted transaction, so that its records go. */
        boolean aborted(long producerId, boolean transactional, long lastOffset);

        /**
         * A marker batch ({@code marker} null when an earlier clean emptied it); true if it may go once its delete
         * horizon has passed.
         */
        boolean markerRemovable(long producerId, long offset, TxnMarkers.Marker marker);
    }

    /** Which batches are the last of their producer: kept even when emptied, so that producer state reloads. */
    public interface LastProducerBatches {
        boolean isLast(long producerId, short producerEpoch, long lastOffset, boolean control);
    }

    /** The kept batches, and whether a kept tombstone or marker awaits its delete horizon. */
    public record Filtered(ByteBuffer batches, boolean removalsPending) {
    }

    private final BufferSupplier buffers = BufferSupplier.create();

    /**
     * Visits the keyed data records at or after {@code fromOffset}, in offset order, but those of aborted
     * transactions. Returns false if the visitor stopped.
     */
    public boolean forEachKey(ByteBuffer batches, long fromOffset, Transactions transactions, KeyVisitor visitor) {
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches).batches()) {
            if (batch.lastOffset() < fromOffset) {
                continue;
            }
            if (batch.isControlBatch()) {
                transactions.markerRemovable(batch.producerId(), batch.lastOffset(), TxnMarkers.read(batch));
                continue;
            }
            if (transactions.aborted(batch.producerId(), batch.isTransactional(), batch.lastOffset())) {
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
     * first time a clean keeps it) has passed. The records of an aborted transaction are dropped; a marker that
     * {@code transactions} finds removable gets a delete horizon the same way and goes once it has passed (Kafka's
     * two passes: its data goes first, then the marker). A batch left empty disappears, except a producer's last one,
     * kept so that its sequence state survives a reload.
     */
    public Filtered filter(ByteBuffer batches, ByteBuffer output, long nowMs, long deleteRetentionMs,
                           LatestOffsets map, long mapEnd, LastProducerBatches lastProducerBatches,
                           Transactions transactions) {
        boolean[] removalsPending = new boolean[1];
        MemoryRecords.RecordFilter filter = new MemoryRecords.RecordFilter(nowMs, deleteRetentionMs) {
            /** The batch being filtered goes whole (aborted data, or a marker past its delete horizon). */
            private boolean discardBatch;

            @Override
            protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
                boolean removableMarker = false;
                if (batch.isControlBatch()) {
                    removableMarker = transactions.markerRemovable(batch.producerId(), batch.lastOffset(),
                            TxnMarkers.read(batch));
                    boolean due = batch.deleteHorizonMs().isPresent() && nowMs >= batch.deleteHorizonMs().getAsLong();
                    discardBatch = removableMarker && due;
                    removalsPending[0] |= removableMarker && !due;
                } else {
                    discardBatch = transactions.aborted(batch.producerId(), batch.isTransactional(),
                            batch.lastOffset());
                }
                boolean producersLast = batch.hasProducerId() && lastProducerBatches.isLast(batch.producerId(),
                        batch.producerEpoch(), batch.lastOffset(), batch.isControlBatch());
                BatchRetention retention = producersLast ? BatchRetention.RETAIN_EMPTY
                        : discardBatch ? BatchRetention.DELETE : BatchRetention.DELETE_EMPTY;
                return new BatchRetentionResult(retention, removableMarker);
            }

            @Override
            protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
                if (discardBatch) {
                    return false;
                }
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
                removalsPending[0] |= !expired;
                return !expired;
            }
        };
        output.clear();
        MemoryRecords.FilterResult result = MemoryRecords.readableRecords(batches)
                .filterTo(filter, output, buffers, Integer.MAX_VALUE - 8);
        return new Filtered(result.outputBuffer().flip(), removalsPending[0]);
    }
}
