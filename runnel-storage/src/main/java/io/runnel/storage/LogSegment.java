package io.runnel.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.runnel.storage.record.BatchHeader;
import io.runnel.storage.record.StoredBatch;

/**
 * One {@code .log} file with its offset and time indexes. Appended under the log's lock; read without it: readers
 * never look past the volatile {@link #size()}, which is published only after a write completes.
 */
final class LogSegment {
    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final long rollJitterMs;
    private volatile int size;
    private volatile long maxTimestamp = -1;
    private volatile long offsetOfMaxTimestamp;
    private int bytesSinceIndexEntry;
    private long rollBaseTimeMs = -1;

    private LogSegment(Path dir, long baseOffset, int indexCapacity, long rollJitterMs, String state)
            throws IOException {
        this.baseOffset = baseOffset;
        this.rollJitterMs = rollJitterMs;
        this.channel = FileChannel.open(LogFiles.file(dir, baseOffset, LogFiles.LOG + state),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.offsetIndex = new OffsetIndex(LogFiles.file(dir, baseOffset, LogFiles.INDEX + state), baseOffset,
                indexCapacity);
        this.timeIndex = new TimeIndex(LogFiles.file(dir, baseOffset, LogFiles.TIME_INDEX + state), baseOffset,
                indexCapacity);
        this.txnIndex = TransactionIndex.open(LogFiles.file(dir, baseOffset, LogFiles.TXN_INDEX + state));
        this.size = (int) channel.size();
        this.offsetOfMaxTimestamp = baseOffset;
    }

    /**
     * Opens (or creates) the segment's files; {@code indexCapacity} 0 keeps existing indexes at their length. The time
     * index's newest entry gives the segment's largest timestamp.
     */
    static LogSegment open(Path dir, long baseOffset, int indexCapacity, long rollJitterMs) throws IOException {
        LogSegment segment = new LogSegment(dir, baseOffset, indexCapacity, rollJitterMs, "");
        segment.maxTimestamp = segment.timeIndex.lastTimestamp();
        segment.offsetOfMaxTimestamp = segment.timeIndex.lastOffset();
        return segment;
    }

    /** A new, empty {@code <base>.*.cleaned} segment that the cleaner fills, seals, then renames to swap it in. */
    static LogSegment createCleaned(Path dir, long baseOffset, int indexCapacity) throws IOException {
        return createReplacement(dir, baseOffset, indexCapacity, LogFiles.CLEANED);
    }

    /** A new, empty segment whose files carry {@code state}, to be filled and then swapped in for its base offset. */
    private static LogSegment createReplacement(Path dir, long baseOffset, int indexCapacity, String state)
            throws IOException {
        LogFiles.deleteSegment(dir, baseOffset, state);
        return new LogSegment(dir, baseOffset, indexCapacity, 0, state);
    }

    static boolean indexesExist(Path dir, long baseOffset) {
        return Files.exists(LogFiles.file(dir, baseOffset, LogFiles.INDEX))
                && Files.exists(LogFiles.file(dir, baseOffset, LogFiles.TIME_INDEX));
    }

    long baseOffset() {
        return baseOffset;
    }

    FileChannel channel() {
        return channel;
    }

    /** The transactions aborted by markers in this segment. */
    TransactionIndex txnIndex() {
        return txnIndex;
    }

    int size() {
        return size;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    boolean indexesSane() {
        return offsetIndex.isSane(size) && timeIndex.isSane(size);
    }

    /** Milliseconds since the segment's first append (or, once reopened, its first batch's timestamp); 0 if empty. */
    long ageMs(long nowMs) {
        return rollBaseTimeMs < 0 ? 0 : nowMs - rollBaseTimeMs;
    }

    long rollJitterMs() {
        return rollJitterMs;
    }

    /** Writes the bytes after the published end in one positional write; {@link #indexBatch} then publishes them. */
    void write(ByteBuffer data, long nowMs) throws IOException {
        long position = size;
        ByteBuffer view = data.duplicate();
        while (view.hasRemaining()) {
            position += channel.write(view, position);
        }
        if (rollBaseTimeMs < 0) {
            rollBaseTimeMs = nowMs;
        }
    }

    /**
     * Accounts one batch that starts at the published end: publishes it to readers, then adds an index entry once
     * index.interval.bytes have passed since the last one (the batch at position 0 never needs one).
     */
    void indexBatch(int batchSize, long lastOffset, long batchMaxTimestamp, int indexIntervalBytes) {
        int position = size;
        size = position + batchSize;
        if (batchMaxTimestamp > maxTimestamp) {
            offsetOfMaxTimestamp = lastOffset;
            maxTimestamp = batchMaxTimestamp;
        }
        if (bytesSinceIndexEntry > indexIntervalBytes) {
            offsetIndex.append(lastOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceIndexEntry = 0;
        }
        bytesSinceIndexEntry += batchSize;
    }

    /** Offset after the segment's last batch, or its base offset if empty. */
    long nextOffset() throws IOException {
        BatchCursor cursor = new BatchCursor(channel, offsetIndex.lookup(Long.MAX_VALUE), size);
        long next = baseOffset;
        while (cursor.next()) {
            next = cursor.lastOffset() + 1;
        }
        return next;
    }

    /**
     * The bytes from the batch holding {@code fetchOffset} up to {@code maxPosition}, at most {@code maxBytes} of
     * them, as Kafka reads: the last batch may be cut short, for the client to discard; if the first batch alone is
     * larger than {@code maxBytes} it comes whole when {@code minOneMessage}, else nothing does. Null if no batch
     * below {@code maxPosition} reaches {@code fetchOffset}. Only the batch headers between the offset index's entry
     * and the first batch are read.
     */
    LogSlice read(long fetchOffset, int maxBytes, int maxPosition, boolean minOneMessage) throws IOException {
        BatchCursor cursor = seek(fetchOffset, maxPosition);
        if (cursor == null) {
            return null;
        }
        long start = cursor.position();
        if (cursor.size() > maxBytes) {
            return minOneMessage ? new LogSlice(channel, start, cursor.size()) : LogSlice.EMPTY;
        }
        return new LogSlice(channel, start, (int) Math.min(maxPosition - start, maxBytes));
    }

    /** Position of the first batch whose last offset is at least {@code offset}, or the size if there is none. */
    int positionOf(long offset) throws IOException {
        BatchCursor cursor = seek(offset, size);
        return cursor == null ? size : (int) cursor.position();
    }

    /**
     * A new {@code .truncated} segment holding this segment's first {@code bytes} bytes, its indexes rebuilt and its
     * files flushed: what truncation swaps in, so that this segment's bytes are never cut while a reader may hold
     * them.
     */
    LogSegment copyPrefix(Path dir, int bytes, int indexCapacity, int indexIntervalBytes, LeaderEpochCache epochs)
            throws IOException {
        LogSegment copy = createReplacement(dir, baseOffset, indexCapacity, LogFiles.TRUNCATED);
        long copied = 0;
        while (copied < bytes) {
            copied += channel.transferTo(copied, bytes - copied, copy.channel);
        }
        copy.recover(indexCapacity, indexIntervalBytes, epochs);
        long end = copy.nextOffset();
        for (AbortedTxn txn : txnIndex.entries()) {
            if (txn.lastOffset() < end) {
                copy.txnIndex.append(txn);
            }
        }
        copy.flush();
        return copy;
    }

    /** The first record at or after {@code timestamp} in this segment, from {@code minOffset} on, or null. */
    TimestampOffset findTimestamp(long timestamp, long minOffset) throws IOException {
        BatchCursor cursor = new BatchCursor(channel, offsetIndex.lookup(timeIndex.lookup(timestamp)), size);
        while (cursor.next()) {
            if (cursor.maxTimestamp() >= timestamp && cursor.lastOffset() >= minOffset) {
                long[] found = StoredBatch.firstRecordAtOrAfter(cursor.readBatch(null), timestamp, minOffset);
                if (found != null) {
                    return new TimestampOffset(found[1], found[0], cursor.leaderEpoch());
                }
            }
        }
        return null;
    }

    /** The first record carrying the segment's largest timestamp, or null if the segment is empty. */
    TimestampOffset findMaxTimestamp() throws IOException {
        long timestamp = maxTimestamp;
        BatchCursor cursor = seek(offsetOfMaxTimestamp, size);
        if (timestamp < 0 || cursor == null) {
            return null;
        }
        long[] found = StoredBatch.firstRecordAtOrAfter(cursor.readBatch(null), timestamp, baseOffset);
        return found == null ? null : new TimestampOffset(found[1], found[0], cursor.leaderEpoch());
    }

    /** A cursor on the first batch whose last offset is at least {@code offset}, or null. */
    private BatchCursor seek(long offset, int end) throws IOException {
        BatchCursor cursor = new BatchCursor(channel, offsetIndex.lookup(offset), end);
        while (cursor.next()) {
            if (cursor.lastOffset() >= offset) {
                return cursor;
            }
        }
        return null;
    }

    /**
     * Validates every batch (v2, CRC, increasing offsets) while rebuilding both indexes, truncates the file at the
     * first batch that fails, and reports each valid batch's leader epoch. Returns the number of bytes cut.
     */
    long recover(int indexCapacity, int indexIntervalBytes, LeaderEpochCache epochs) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        offsetIndex.resize(indexCapacity);
        timeIndex.resize(indexCapacity);
        long fileSize = channel.size();
        size = 0;
        maxTimestamp = -1;
        offsetOfMaxTimestamp = baseOffset;
        bytesSinceIndexEntry = 0;
        rollBaseTimeMs = -1;
        BatchCursor cursor = new BatchCursor(channel, 0, fileSize);
        ByteBuffer buffer = null;
        long nextOffset = baseOffset;
        while (cursor.next() && cursor.magic() == BatchHeader.MAGIC_V2 && cursor.baseOffset() >= nextOffset) {
            buffer = cursor.readBatch(buffer);
            if (!StoredBatch.isValid(buffer)) {
                break;
            }
            if (rollBaseTimeMs < 0) {
                rollBaseTimeMs = cursor.maxTimestamp();
            }
            indexBatch(cursor.size(), cursor.lastOffset(), cursor.maxTimestamp(), indexIntervalBytes);
            epochs.assign(cursor.leaderEpoch(), cursor.baseOffset());
            nextOffset = cursor.lastOffset() + 1;
        }
        long cut = fileSize - size;
        if (cut > 0) {
            channel.truncate(size);
        }
        return cut;
    }

    /** Restores the roll clock of a reopened segment from its first batch's timestamp. */
    void loadRollBaseTime() throws IOException {
        BatchCursor cursor = new BatchCursor(channel, 0, size);
        rollBaseTimeMs = cursor.next() ? cursor.maxTimestamp() : -1;
    }

    /** Makes room in the indexes of a reopened active segment. */
    void growIndexes(int indexCapacity) {
        offsetIndex.resize(indexCapacity);
        timeIndex.resize(indexCapacity);
    }

    /** Done with appends: records the final largest timestamp and trims the preallocated indexes. */
    void seal() {
        if (maxTimestamp >= 0) {
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        }
        offsetIndex.trim();
        timeIndex.trim();
    }

    void flush() throws IOException {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    void close() throws IOException {
        offsetIndex.close();
        timeIndex.close();
        txnIndex.close();
        channel.close();
    }
}
