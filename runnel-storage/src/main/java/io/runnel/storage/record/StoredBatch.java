package io.runnel.storage.record;

import java.nio.ByteBuffer;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;

/** Checks on one whole batch read back from a segment file. */
public final class StoredBatch {
    private StoredBatch() {
    }

    /** True if the bytes hold exactly one v2 batch whose CRC matches. */
    public static boolean isValid(ByteBuffer batch) {
        MutableRecordBatch b = only(batch);
        return b.magic() == BatchHeader.MAGIC_V2 && b.isValid();
    }

    /**
     * Offset and timestamp of the first record at or after {@code minOffset} whose timestamp is at least
     * {@code timestamp}, as {offset, timestamp}; null if none. Decompresses the batch: for offset look-ups, not for
     * the data path.
     */
    public static long[] firstRecordAtOrAfter(ByteBuffer batch, long timestamp, long minOffset) {
        for (Record record : only(batch)) {
            if (record.timestamp() >= timestamp && record.offset() >= minOffset) {
                return new long[] {record.offset(), record.timestamp()};
            }
        }
        return null;
    }

    private static MutableRecordBatch only(ByteBuffer batch) {
        return MemoryRecords.readableRecords(batch.duplicate()).batches().iterator().next();
    }
}
