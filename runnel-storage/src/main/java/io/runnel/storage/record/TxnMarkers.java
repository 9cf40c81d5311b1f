package io.runnel.storage.record;

import java.nio.ByteBuffer;
import java.util.Iterator;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Transaction markers in Kafka's format: a control batch of the producer (its id and epoch, transactional) holding one
 * control record whose key is the type (commit or abort) and whose value is Kafka's EndTransactionMarker (version and
 * coordinator epoch).
 */
public final class TxnMarkers {
    /** What a marker says: how the transaction ended, and the coordinator epoch that ended it. */
    public record Marker(boolean commit, int coordinatorEpoch) {
    }

    /** Every marker batch has this size: its fields are fixed-width or encode the same values. */
    public static final int BATCH_BYTES = build(0, (short) 0, 0, true, 0).remaining();

    private TxnMarkers() {
    }

    /** One marker batch at offset 0 (the log assigns its offset and leader epoch). */
    public static ByteBuffer build(long producerId, short producerEpoch, int coordinatorEpoch, boolean commit,
                                   long timestampMs) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT
                : ControlRecordType.ABORT, coordinatorEpoch);
        return MemoryRecords.withEndTransactionMarker(0L, timestampMs, RecordBatch.NO_PARTITION_LEADER_EPOCH,
                producerId, producerEpoch, marker).buffer();
    }

    /**
     * The marker of a control batch (the whole batch's bytes), or null for a control batch the cleaner emptied. Reads
     * the one control record: only for control batches, which are one per transaction and partition.
     */
    public static Marker read(ByteBuffer batch) {
        RecordBatch b = MemoryRecords.readableRecords(batch.duplicate()).batches().iterator().next();
        return read(b);
    }

    static Marker read(RecordBatch batch) {
        Iterator<Record> records = batch.iterator();
        if (!records.hasNext()) {
            return null;
        }
        Record record = records.next();
        ControlRecordType type = ControlRecordType.parse(record.key());
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            throw new InvalidRecordException("Control record of type " + type + " is not a transaction marker");
        }
        return new Marker(type == ControlRecordType.COMMIT, EndTransactionMarker.deserialize(record).coordinatorEpoch());
    }
}
