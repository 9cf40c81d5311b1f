package io.runnel.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import io.runnel.storage.record.BatchHeader;

/**
 * Walks the batch headers of a segment file between two positions, one positional read per batch. Stops at the first
 * header that is incomplete or whose size is impossible or runs past the end: that is where a torn write begins.
 */
final class BatchCursor {
    private final FileChannel channel;
    private final long end;
    private final ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
    private long next;
    private long position = -1;
    private int size;

    BatchCursor(FileChannel channel, long start, long end) {
        this.channel = channel;
        this.next = start;
        this.end = end;
    }

    boolean next() throws IOException {
        if (end - next < BatchHeader.SIZE) {
            return false;
        }
        header.clear();
        while (header.hasRemaining()) {
            if (channel.read(header, next + header.position()) < 0) {
                return false;
            }
        }
        int batchSize = BatchHeader.batchSize(header, 0);
        if (batchSize < BatchHeader.SIZE || batchSize > end - next) {
            return false;
        }
        position = next;
        size = batchSize;
        next += batchSize;
        return true;
    }

    /** Reads the whole current batch into {@code reuse} if large enough, else into a new buffer. */
    ByteBuffer readBatch(ByteBuffer reuse) throws IOException {
        ByteBuffer b = reuse != null && reuse.capacity() >= size ? reuse : ByteBuffer.allocate(size);
        b.clear().limit(size);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new IOException("Unexpected end of segment file at " + (position + b.position()));
            }
        }
        return b.flip();
    }

    long position() {
        return position;
    }

    int size() {
        return size;
    }

    long end() {
        return position + size;
    }

    byte magic() {
        return BatchHeader.magic(header, 0);
    }

    long baseOffset() {
        return BatchHeader.baseOffset(header, 0);
    }

    long lastOffset() {
        return BatchHeader.lastOffset(header, 0);
    }

    long maxTimestamp() {
        return BatchHeader.maxTimestamp(header, 0);
    }

    int leaderEpoch() {
        return BatchHeader.partitionLeaderEpoch(header, 0);
    }

    long producerId() {
        return BatchHeader.producerId(header, 0);
    }

    short producerEpoch() {
        return BatchHeader.producerEpoch(header, 0);
    }

    int baseSequence() {
        return BatchHeader.baseSequence(header, 0);
    }

    int lastSequence() {
        return BatchHeader.lastSequence(header, 0);
    }

    boolean isTransactional() {
        return BatchHeader.isTransactional(header, 0);
    }

    boolean isControl() {
        return BatchHeader.isControl(header, 0);
    }
}
