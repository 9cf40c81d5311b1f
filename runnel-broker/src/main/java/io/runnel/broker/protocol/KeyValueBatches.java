package io.runnel.broker.protocol;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The record batches coordinators write to their internal topics (one uncompressed v2 batch of key / value records,
 * a null value being a tombstone, or a transactional batch of offsets committed in a transaction), and the reading of
 * such batches and of transaction markers when a coordinator replays its partition.
 */
public final class KeyValueBatches {
    private KeyValueBatches() {
    }

    /** One batch holding the records in order; {@code values.get(i) == null} makes record i a tombstone. */
    public static ByteBuffer build(long timestamp, List<ByteBuffer> keys, List<ByteBuffer> values) {
        return MemoryRecords.withRecords(Compression.NONE, records(timestamp, keys, values)).buffer();
    }

    /**
     * One transactional batch of the producer's open transaction, at sequence 0 as Kafka's coordinators write it on
     * the producer's behalf (offsets committed in a transaction); the partition checks no sequence of such batches.
     */
    public static ByteBuffer buildTransactional(long timestamp, long producerId, short producerEpoch,
                                                List<ByteBuffer> keys, List<ByteBuffer> values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, producerEpoch, 0,
                records(timestamp, keys, values)).buffer();
    }

    private static SimpleRecord[] records(long timestamp, List<ByteBuffer> keys, List<ByteBuffer> values) {
        SimpleRecord[] records = new SimpleRecord[keys.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(timestamp, keys.get(i), values.get(i));
        }
        return records;
    }

    /** What a coordinator rebuilds its state from, in log order. */
    public interface Visitor {
        /** A record; {@code value} null for a tombstone, {@code producerId} -1 unless it is in a transaction. */
        void record(long producerId, ByteBuffer key, ByteBuffer value);

        /** The commit or abort marker ending a producer's transaction. */
        default void marker(long producerId, boolean commit) {
        }
    }

    /**
     * Hands every record of the whole batches in {@code batches} to {@code visitor} as (key, value) (value null for
     * a tombstone), and each transaction marker, and returns the offset following the last batch, or -1 if there was
     * none.
     */
    public static long forEachRecord(ByteBuffer batches, Visitor visitor) {
        long next = -1;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches).batches()) {
            long producerId = batch.isTransactional() ? batch.producerId() : RecordBatch.NO_PRODUCER_ID;
            for (Record record : batch) {
                if (batch.isControlBatch()) {
                    ControlRecordType type = ControlRecordType.parse(record.key());
                    if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                        visitor.marker(batch.producerId(), type == ControlRecordType.COMMIT);
                    }
                } else if (record.hasKey()) {
                    visitor.record(producerId, record.key(), record.hasValue() ? record.value() : null);
                }
            }
            next = batch.nextOffset();
        }
        return next;
    }
}
