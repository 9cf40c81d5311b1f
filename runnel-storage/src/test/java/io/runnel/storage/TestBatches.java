package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Builds produced batches and reads stored ones back, with kafka-clients' own record classes. */
final class TestBatches {
    private TestBatches() {
    }

    static ByteBuffer batch(long timestamp, String... values) {
        return idempotent(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, timestamp,
                values);
    }

    static ByteBuffer idempotent(long producerId, short epoch, int sequence, long timestamp, String... values) {
        return build(RecordBatch.MAGIC_VALUE_V2, Compression.NONE, producerId, epoch, sequence, timestamp, values);
    }

    /** A batch of a transactional producer; each record's key is its value (so compacted topics take it too). */
    static ByteBuffer transactional(long producerId, short epoch, int sequence, long timestamp, String... values) {
        String[] keyValues = new String[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            keyValues[2 * i] = values[i];
            keyValues[2 * i + 1] = values[i];
        }
        return transactionalKeyed(producerId, epoch, sequence, timestamp, keyValues);
    }

    /** A batch of a transactional producer from key, value pairs. */
    static ByteBuffer transactionalKeyed(long producerId, short epoch, int sequence, long timestamp,
                                         String... keyValues) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024 + keyValues.length * 64),
                RecordBatch.MAGIC_VALUE_V2, Compression.NONE, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP,
                producerId, epoch, sequence, true, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.append(timestamp, utf8(keyValues[i]), utf8(keyValues[i + 1]));
        }
        return builder.build().buffer();
    }

    static ByteBuffer build(byte magic, Compression compression, long producerId, short epoch, int sequence,
                            long timestamp, String... values) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024 + values.length * 64), magic,
                compression, TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch, sequence);
        for (String value : values) {
            builder.append(timestamp, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build().buffer();
    }

    /** One batch of keyed records from key, value pairs; a null value is a tombstone. */
    static ByteBuffer keyed(Compression compression, long timestamp, String... keyValues) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024 + keyValues.length * 64),
                RecordBatch.MAGIC_VALUE_V2, compression, TimestampType.CREATE_TIME, 0L);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.append(timestamp, utf8(keyValues[i]), utf8(keyValues[i + 1]));
        }
        return builder.build().buffer();
    }

    static ByteBuffer keyed(long timestamp, String... keyValues) {
        return keyed(Compression.NONE, timestamp, keyValues);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every data record of the log from its start as "offset:key:value" ("null" for a tombstone), batches
     * CRC-checked; transaction markers are left out.
     */
    static List<String> keyedRecords(PartitionLog log) {
        List<String> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            LogSlice slice = log.read(next, 1 << 20, Long.MAX_VALUE, true);
            List<MutableRecordBatch> batches = batches(slice);
            if (batches.isEmpty()) {
                throw new AssertionError("no progress at " + next);
            }
            for (MutableRecordBatch batch : batches) {
                batch.ensureValid();
                for (Record r : batch) {
                    if (r.offset() >= next && !batch.isControlBatch()) {
                        out.add(r.offset() + ":" + text(r.key()) + ":" + text(r.value()));
                    }
                }
                next = Math.max(next, batch.lastOffset() + 1);
            }
        }
        return out;
    }

    private static String text(ByteBuffer b) {
        return b == null ? "null" : StandardCharsets.UTF_8.decode(b).toString();
    }

    /** One batch whose records carry the given timestamps. */
    static ByteBuffer withTimestamps(long... timestamps) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                Compression.NONE, TimestampType.CREATE_TIME, 0L);
        for (int i = 0; i < timestamps.length; i++) {
            builder.append(timestamps[i], null, ("t" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build().buffer();
    }

    /** The batch as a leader stored it: offsets from {@code baseOffset}, stamped with {@code leaderEpoch}. */
    static ByteBuffer replicated(ByteBuffer batch, long baseOffset, int leaderEpoch) {
        MutableRecordBatch b = MemoryRecords.readableRecords(batch).batches().iterator().next();
        b.setLastOffset(baseOffset + b.lastOffset() - b.baseOffset());
        b.setPartitionLeaderEpoch(leaderEpoch);
        return batch;
    }

    /**
     * A copy of a v2 batch with {@code edit} applied and its CRC recomputed, as a producer that sent those bytes on
     * purpose would have it: the CRC (CRC-32C from the attributes at byte 21 to the end, stored at byte 17) matches.
     */
    static ByteBuffer edited(ByteBuffer batch, java.util.function.Consumer<ByteBuffer> edit) {
        ByteBuffer copy = concat(batch);
        edit.accept(copy);
        CRC32C crc = new CRC32C();
        crc.update(copy.duplicate().position(21));
        copy.putInt(17, (int) crc.getValue());
        return copy;
    }

    /** Several batches in one buffer, as one produce request carries them. */
    static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    static String[] values(String prefix, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = prefix + i;
        }
        return values;
    }

    static ByteBuffer bytes(LogSlice slice) {
        ByteBuffer b = ByteBuffer.allocate(slice.size());
        try {
            while (b.hasRemaining()) {
                slice.channel().read(b, slice.position() + b.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.flip();
    }

    static List<MutableRecordBatch> batches(LogSlice slice) {
        List<MutableRecordBatch> batches = new ArrayList<>();
        MemoryRecords records = MemoryRecords.readableRecords(bytes(slice));
        records.batches().forEach(batches::add);
        return batches;
    }

    /** Each stored record as "offset:value"; every batch must be whole and CRC-valid. */
    static List<String> records(LogSlice slice) {
        List<String> out = new ArrayList<>();
        for (MutableRecordBatch batch : batches(slice)) {
            batch.ensureValid();
            for (Record r : batch) {
                out.add(r.offset() + ":" + StandardCharsets.UTF_8.decode(r.value()));
            }
        }
        return out;
    }
}
