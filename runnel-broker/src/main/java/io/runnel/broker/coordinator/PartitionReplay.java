package io.runnel.broker.coordinator;

import io.runnel.broker.protocol.KeyValueBatches;
import io.runnel.storage.LogSlice;
import io.runnel.storage.record.BatchHeader;
import io.runnel.storage.PartitionLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/** Reads a coordinator's partition from its start to its end, record by record, to rebuild the coordinator's state. */
public final class PartitionReplay {
    private static final int READ_BYTES = 1024 * 1024;

    private PartitionReplay() {
    }

    /**
     * Hands every (key, value) record of the log to {@code visitor} in order (value null for a tombstone; control
     * batches skipped) and returns the log end offset it read up to.
     */
    public static long replay(PartitionLog log, BiConsumer<ByteBuffer, ByteBuffer> visitor) {
        return replay(log, (KeyValueBatches.Visitor) (producerId, key, value) -> visitor.accept(key, value));
    }

    /**
     * Hands every record and transaction marker of the log to {@code visitor} in log order and returns the log end
     * offset it read up to.
     */
    public static long replay(PartitionLog log, KeyValueBatches.Visitor visitor) {
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            LogSlice slice = log.read(offset, READ_BYTES, end, true);
            if (slice.size() == 0) {
                break;
            }
            long next = KeyValueBatches.forEachRecord(readFully(slice), visitor);
            if (next <= offset) {
                break;
            }
            offset = next;
        }
        return end;
    }

    private static ByteBuffer readFully(LogSlice slice) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        try {
            long position = slice.position();
            while (buffer.hasRemaining()) {
                int n = slice.channel().read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.flip();
        // A read bounded by bytes may end inside a batch: the next read starts at that batch.
        return buffer.limit(BatchHeader.wholeBatchesLength(buffer));
    }
}
