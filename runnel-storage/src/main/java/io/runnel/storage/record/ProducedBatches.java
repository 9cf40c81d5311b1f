package io.runnel.storage.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * The batches of one produce request, checked and then rewritten in place (offsets, leader epoch, log append time).
 * Reused by one log under its lock; {@link #clear()} drops every view of the caller's buffer.
 */
public final class ProducedBatches {
    private final List<MutableRecordBatch> batches = new ArrayList<>();
    /** Decompression buffers, reused: the caller's lock keeps this to one thread at a time. */
    private final BufferSupplier buffers = BufferSupplier.create();

    /**
     * Splits and checks framing, magic, size, CRC and offset count of every batch; nothing is modified. A batch
     * {@code fromClient} must also have an offset span equal to its record count, records that read back, and no
     * control flag; a replicated batch may have fewer records than offsets once its leader's cleaner compacted it,
     * carries the transaction markers its leader wrote, and had its records validated by that leader.
     */
    public void parse(ByteBuffer buffer, int maxMessageBytes, boolean fromClient) {
        batches.clear();
        try {
            parseBatches(buffer, maxMessageBytes, fromClient);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            // The record classes and the codec libraries report malformed input in their own ways: a batch length
            // that overflows, a decompressor's error (Snappy throws an Error), a record running past its batch.
            batches.clear();
            throw new CorruptRecordException("Produced records cannot be read: " + e, e);
        }
    }

    private void parseBatches(ByteBuffer buffer, int maxMessageBytes, boolean fromClient) {
        long total = 0;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(buffer).batches()) {
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw new InvalidRecordException("Record batch magic " + batch.magic() + " is not supported, only v2");
            }
            if (batch.sizeInBytes() > maxMessageBytes) {
                throw new RecordTooLargeException("Record batch of " + batch.sizeInBytes()
                        + " bytes exceeds max.message.bytes " + maxMessageBytes);
            }
            batch.ensureValid();
            Integer count = batch.countOrNull();
            long span = batch.lastOffset() - batch.baseOffset() + 1;
            if (count == null || count < 0 || (fromClient && (count == 0 || span != count))) {
                throw new InvalidRecordException("Record batch has " + count + " records but an offset delta of "
                        + (batch.lastOffset() - batch.baseOffset()));
            }
            if (fromClient && batch.isControlBatch()) {
                // Transaction markers come from the transaction coordinator, never in a Produce request.
                throw new InvalidRecordException("Clients are not allowed to write control records");
            }
            if (fromClient) {
                requireReadableRecords((DefaultRecordBatch) batch, count);
            }
            batches.add(batch);
            total += batch.sizeInBytes();
        }
        if (batches.isEmpty() || total != buffer.remaining()) {
            batches.clear();
            throw new CorruptRecordException("Produced records are truncated or malformed: " + buffer.remaining()
                    + " bytes hold " + total + " bytes of whole batches");
        }
    }

    /**
     * Reads every record of the batch, decompressing it with the codec its attributes name, as Kafka's log validator
     * does: the CRC only proves the batch is what the producer sent, so a batch whose records do not read back (an
     * unknown codec, a corrupt compressed stream, a record count or offset deltas that disagree with the records) is
     * refused here rather than stored for every consumer to fail on. Records are read whole, as a consumer reads
     * them: skipping keys and values, as Kafka's validator does, lets a record whose header sizes run past its end
     * through.
     */
    private void requireReadableRecords(DefaultRecordBatch batch, int count) {
        int read = 0;
        try (CloseableIterator<Record> records = batch.streamingIterator(buffers)) {
            while (records.hasNext()) {
                long offset = records.next().offset();
                if (offset != batch.baseOffset() + read) {
                    throw new InvalidRecordException("Record " + read + " of the batch has offset delta "
                            + (offset - batch.baseOffset()));
                }
                read++;
            }
        }
        if (read != count) {
            throw new InvalidRecordException("Record batch declares " + count + " records but holds " + read);
        }
    }

    /**
     * A compacted log keeps the last record per key, so it refuses records without one (Kafka's INVALID_RECORD).
     * Reads every record, decompressing compressed batches: only for compacted logs.
     */
    public void requireKeys(TopicPartition tp) {
        for (MutableRecordBatch batch : batches) {
            try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                while (records.hasNext()) {
                    if (!records.next().hasKey()) {
                        throw new InvalidRecordException("Compacted topic cannot accept message without key in topic "
                                + "partition " + tp);
                    }
                }
            }
        }
    }

    public int count() {
        return batches.size();
    }

    public int sizeInBytes(int i) {
        return batches.get(i).sizeInBytes();
    }

    /** Number of offsets the batch takes. */
    public int offsetCount(int i) {
        MutableRecordBatch b = batches.get(i);
        return (int) (b.lastOffset() - b.baseOffset()) + 1;
    }

    public long baseOffset(int i) {
        return batches.get(i).baseOffset();
    }

    public long lastOffset(int i) {
        return batches.get(i).lastOffset();
    }

    public int partitionLeaderEpoch(int i) {
        return batches.get(i).partitionLeaderEpoch();
    }

    public long baseTimestamp(int i) {
        return ((DefaultRecordBatch) batches.get(i)).baseTimestamp();
    }

    public long maxTimestamp(int i) {
        return batches.get(i).maxTimestamp();
    }

    public long producerId(int i) {
        return batches.get(i).producerId();
    }

    public short producerEpoch(int i) {
        return batches.get(i).producerEpoch();
    }

    public int baseSequence(int i) {
        return batches.get(i).baseSequence();
    }

    public int lastSequence(int i) {
        return batches.get(i).lastSequence();
    }

    public boolean isTransactional(int i) {
        return batches.get(i).isTransactional();
    }

    public boolean isControl(int i) {
        return batches.get(i).isControlBatch();
    }

    /** The transaction marker of control batch {@code i}, or null if the leader's cleaner emptied it. */
    public TxnMarkers.Marker marker(int i) {
        return TxnMarkers.read(batches.get(i));
    }

    /** Writes the base offset and leader epoch, neither of which the CRC covers. */
    public void assign(int i, long baseOffset, int leaderEpoch) {
        MutableRecordBatch b = batches.get(i);
        b.setLastOffset(baseOffset + offsetCount(i) - 1);
        b.setPartitionLeaderEpoch(leaderEpoch);
    }

    /** Marks the batch LogAppendTime with the given time (recomputes the CRC, which covers the attributes). */
    public void setLogAppendTime(int i, long timestamp) {
        batches.get(i).setMaxTimestamp(TimestampType.LOG_APPEND_TIME, timestamp);
    }

    public void clear() {
        batches.clear();
    }
}
