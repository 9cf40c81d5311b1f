package io.runnel.storage.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;

/** Reads a segment's {@code .log} file batch by batch for {@code runnel dump-log}, as Kafka's dump tool sees it. */
public final class LogFileDump {
    /** One batch's header fields, and its records when read deeply. */
    public record Batch(long baseOffset, long lastOffset, Integer count, int baseSequence, int lastSequence,
                        long producerId, short producerEpoch, int partitionLeaderEpoch, boolean transactional,
                        boolean control, OptionalLong deleteHorizonMs, long position, TimestampType timestampType,
                        long maxTimestamp, int sizeInBytes, byte magic, String compressionCodec, long crc,
                        boolean valid, List<Entry> records) {
    }

    /** One record; key and value are null when absent. */
    public record Entry(long offset, long timestamp, int keySize, int valueSize, int sequence, List<String> headerKeys,
                        ByteBuffer key, ByteBuffer value) {
    }

    public interface BatchVisitor {
        void visit(Batch batch);
    }

    private LogFileDump() {
    }

    /**
     * Visits every whole batch of the file in order, with its records if {@code deep}. Returns the bytes after the
     * last whole batch (a torn or corrupt tail), 0 if none.
     */
    public static long dump(Path logFile, boolean deep, BatchVisitor visitor) throws IOException {
        try (FileRecords file = FileRecords.open(logFile.toFile(), false)) {
            long end = 0;
            for (FileChannelRecordBatch batch : file.batches()) {
                List<Entry> records = new ArrayList<>();
                boolean valid = batch.isValid();
                if (deep && valid) {
                    for (Record r : batch) {
                        List<String> headerKeys = new ArrayList<>();
                        for (Header h : r.headers()) {
                            headerKeys.add(h.key());
                        }
                        records.add(new Entry(r.offset(), r.timestamp(), r.keySize(), r.valueSize(), r.sequence(),
                                headerKeys, r.key(), r.value()));
                    }
                }
                visitor.visit(new Batch(batch.baseOffset(), batch.lastOffset(), batch.countOrNull(),
                        batch.baseSequence(), batch.lastSequence(), batch.producerId(), batch.producerEpoch(),
                        batch.partitionLeaderEpoch(), batch.isTransactional(), batch.isControlBatch(),
                        batch.deleteHorizonMs(), batch.position(), batch.timestampType(), batch.maxTimestamp(),
                        batch.sizeInBytes(), batch.magic(), batch.compressionType().name, batch.checksum(), valid,
                        records));
                end = batch.position() + batch.sizeInBytes();
            }
            return file.sizeInBytes() - end;
        }
    }
}
