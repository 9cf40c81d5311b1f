package io.runnel.storage;

import io.runnel.storage.record.BatchHeader;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;

import org.apache.kafka.common.errors.OffsetOutOfRangeException;

/**
 * The copy of a replica that is moving to another log dir of this broker (Kafka's future log), in a
 * {@code <topic>-<partition>.<id>-future} directory there. It is filled from the current log with the batches as they
 * are (offsets, leader epochs and producer state follow from them, as on a follower) and follows the current log's
 * truncations. Its monitor orders copies against truncations, so a copied batch never outlives its truncation; lock
 * order: this, then the current log's.
 */
final class FutureLog {
    static final String SUFFIX = "-future";

    private final PartitionLog log;

    FutureLog(PartitionLog log) {
        this.log = log;
    }

    PartitionLog log() {
        return log;
    }

    Path dir() {
        return log.dir();
    }

    /**
     * Appends the whole batches of {@code current} from this log's end on, at most {@code maxBytes} of them (the
     * first batch however large). A current log whose start passed this end (retention, DeleteRecords) restarts this one at that start.
     * Returns the bytes copied: 0 once caught up.
     */
    synchronized int copyFrom(PartitionLog current, int maxBytes) throws IOException {
        long next = log.logEndOffset();
        long currentStart = current.logStartOffset();
        if (next < currentStart || next > current.logEndOffset()) {
            log.truncateFullyAndStartAt(currentStart);
            next = currentStart;
        }
        LogSlice slice;
        try {
            slice = current.read(next, maxBytes, current.logEndOffset(), true);
        } catch (OffsetOutOfRangeException startMoved) {
            return 0; // retention moved the start since it was read: the next copy restarts there
        }
        if (slice.size() == 0) {
            return 0;
        }
        ByteBuffer batches = ByteBuffer.allocate(slice.size());
        try {
            while (batches.hasRemaining()) {
                if (slice.channel().read(batches, slice.position() + batches.position()) < 0) {
                    throw new EOFException("Segment of " + current.topicPartition() + " ended inside a batch");
                }
            }
        } catch (ClosedChannelException segmentDeleted) {
            return 0; // retention deleted the segment since it was read: the next copy restarts at the new start
        }
        batches.flip();
        batches.limit(BatchHeader.wholeBatchesLength(batches));
        log.appendAsFollower(batches);
        return batches.limit();
    }

    /** After the current log was truncated to {@code end}: the batches this log has beyond it go too. */
    synchronized void truncateTo(long end) {
        if (log.logEndOffset() > end) {
            log.truncateTo(end);
        }
    }

    /** After the current log was emptied to restart at {@code offset}. */
    synchronized void truncateFullyAndStartAt(long offset) {
        log.truncateFullyAndStartAt(offset);
    }

    /** How many offsets this copy is behind {@code current}: DescribeLogDirs' OffsetLag of a future replica. */
    long offsetLag(PartitionLog current) {
        return Math.max(0, current.logEndOffset() - log.logEndOffset());
    }

    /** {@code <topic>-<partition>.<id>-future}'s partition part, null if the name is not a future log's. */
    static String partitionDirName(String name) {
        if (!name.endsWith(SUFFIX)) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? null : name.substring(0, dot);
    }
}
