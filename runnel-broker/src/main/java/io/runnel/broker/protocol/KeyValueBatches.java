package io.runnel.broker.protocol;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The record batches coordinators write to their internal topics (one uncompressed v2 batch of key / value records,
 * a null value being a tombstone), and the reading of such batches when a coordinator replays its partition.
 */
public final class KeyValueBatches {
    private KeyValueBatches() {
    }

    /** One batch holding the records in order; {@code values.get(i) == null} makes record i a tombstone. */
    public static ByteBuffer build(long timestamp, List<ByteBuffer> keys, List<ByteBuffer> values) {
        SimpleRecord[] records = new SimpleRecord[keys.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(timestamp, keys.get(i), values.get(i));
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    /**
     * Hands every record of the whole batches in {@code batches} to {@code visitor} as (key, value) (value null for
     * a tombstone) and returns the offset following the last batch, or -1 if there was none. Control batches are skipped.
     */
    public static long forEachRecord(ByteBuffer batches, BiConsumer<ByteBuffer, ByteBuffer> visitor) {
        long next = -1;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches).batches()) {
            if (!batch.isControlBatch()) {
                for (Record record : batch) {
                    if (record.hasKey()) {
                        visitor.accept(record.key(), record.hasValue() ? record.value() : null);
                    }
                }
            }
            next = batch.nextOffset();
        }
        return next;
    }
}
