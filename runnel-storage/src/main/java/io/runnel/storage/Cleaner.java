package io.runnel.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.runnel.storage.record.BatchHeader;
import io.runnel.storage.record.CompactedRecords;

/**
 * Compacts one log at a time for one cleaner thread. The offset map takes the keys of the dirty section (as many as
 * fit: the clean then ends where it filled); every closed segment below that end is rewritten into a
 * {@code .cleaned} copy keeping the latest record per key at its original offset, then swapped in. The records of
 * aborted transactions are left out of both ({@link CleanedTransactions}).
 */
final class Cleaner {
    private static final int CHUNK_BYTES = 1 << 20;

    /**
     * Where the clean ended (the next first dirty offset), whether tombstones or markers remain to be removed later,
     * the bytes of the segments it rewrote before and after, and the share of the offset map its keys filled.
     */
    record Result(long cleanedTo, boolean removalsPending, long bytesRead, long bytesWritten,
                  double bufferUtilization) {
    }

    private interface Chunk {
        boolean accept(ByteBuffer batches) throws IOException;
    }

    private final int mapBytes;
    private final Clock clock;
    private final BooleanSupplier stopping;
    private final CompactedRecords records = new CompactedRecords();
    private ByteBuffer readBuffer = ByteBuffer.allocate(CHUNK_BYTES);
    private ByteBuffer writeBuffer = ByteBuffer.allocate(CHUNK_BYTES);
    private boolean removalsPending;
    private long bytesRead;
    private long bytesWritten;
    /** This thread's last completed clean, for the cleaner's metrics. */
    private volatile Result last;
    private volatile long lastElapsedMs;
    /** Allocated at the first clean: a broker without compacted topics never pays for it. */
    private OffsetMap map;

    Cleaner(int mapBytes, Clock clock, BooleanSupplier stopping) {
        this.mapBytes = mapBytes;
        this.clock = clock;
        this.stopping = stopping;
    }

    /**
     * Cleans the log's closed segments from its start, deduplicating with the keys of [firstDirty, firstUncleanable).
     * Returns null if stopped or the log was deleted meanwhile (what was swapped in already is complete).
     */
    Result clean(PartitionLog log, long firstDirty, long firstUncleanable) throws IOException {
        long start = clock.millis();
        Result result = cleanSegments(log, firstDirty, firstUncleanable);
        if (result != null) {
            lastElapsedMs = clock.millis() - start;
            last = result;
        }
        return result;
    }

    /** The last completed clean of this cleaner, or null before one. */
    Result last() {
        return last;
    }

    long lastElapsedMs() {
        return lastElapsedMs;
    }

    private Result cleanSegments(PartitionLog log, long firstDirty, long firstUncleanable) throws IOException {
        List<LogSegment> segments = log.closedSegments();
        long end = buildMap(log, segments, firstDirty, firstUncleanable);
        if (stopping.getAsBoolean()) {
            return null;
        }
        long now = clock.millis();
        LogConfig config = log.config();
        LastProducerBatches lastProducerBatches = log.lastProducerBatches();
        CleanedTransactions transactions = segments.isEmpty() ? null
                : CleanedTransactions.of(log, segments.get(0).baseOffset(), firstUncleanable);
        removalsPending = false;
        bytesRead = 0;
        bytesWritten = 0;
        for (LogSegment segment : segments) {
            if (segment.baseOffset() >= end) {
                break;
            }
            if (stopping.getAsBoolean() || log.isDeleted() || !cleanSegment(log, segment, end, now, config,
                    lastProducerBatches, transactions)) {
                return null;
            }
        }
        return new Result(end, removalsPending, bytesRead, bytesWritten, map.utilization());
    }

    /**
     * Fills the map from the dirty section; returns the offset it covers up to (exclusive). When stopping, the map is
     * partial and the caller must not use it.
     */
    private long buildMap(PartitionLog log, List<LogSegment> segments, long firstDirty, long firstUncleanable)
            throws IOException {
        if (map == null) {
            map = new OffsetMap(mapBytes);
        }
        map.clear();
        long[] fullAt = {firstUncleanable};
        CleanedTransactions transactions = CleanedTransactions.of(log, firstDirty, firstUncleanable);
        for (LogSegment segment : segments) {
            if (segment.baseOffset() >= firstUncleanable) {
                break;
            }
            if (log.nextSegmentBase(segment) <= firstDirty) {
                continue;
            }
            boolean fits = forEachChunk(segment, chunk -> !stopping.getAsBoolean()
                    && records.forEachKey(chunk, firstDirty, transactions, (key, offset) -> {
                        if (offset >= firstUncleanable || map.put(key, offset)) {
                            return true;
                        }
                        fullAt[0] = offset;
                        return false;
                    }));
            if (!fits) {
                break;
            }
        }
        return fullAt[0];
    }

    private boolean cleanSegment(PartitionLog log, LogSegment segment, long end, long now, LogConfig config,
                                 LastProducerBatches lastProducerBatches, CleanedTransactions transactions)
            throws IOException {
        LogSegment cleaned = LogSegment.createCleaned(log.dir(), segment.baseOffset(), config.segmentIndexBytes());
        boolean swapped = false;
        try {
            transactions.writeIndexTo(cleaned.txnIndex());
            boolean complete = forEachChunk(segment, chunk -> {
                CompactedRecords.Filtered kept = records.filter(chunk, writeBuffer, now, config.deleteRetentionMs(),
                        map::get, end, lastProducerBatches, transactions);
                if (kept.batches().capacity() > writeBuffer.capacity()) {
                    writeBuffer = kept.batches();
                }
                removalsPending |= kept.removalsPending();
                append(cleaned, kept.batches(), now, config.indexIntervalBytes());
                return !stopping.getAsBoolean();
            });
            if (!complete) {
                return false;
            }
            transactions.copyEntriesFromBound(segment.txnIndex());
            cleaned.seal();
            cleaned.flush();
            bytesRead += segment.size();
            bytesWritten += cleaned.size();
            swapped = log.replaceSegment(segment, cleaned);
            return swapped || !log.isDeleted();
        } finally {
            if (!swapped) {
                cleaned.close();
                LogFiles.deleteSegment(log.dir(), segment.baseOffset(), LogFiles.CLEANED);
            }
        }
    }

    private static void append(LogSegment cleaned, ByteBuffer batches, long now, int indexIntervalBytes)
            throws IOException {
        if (!batches.hasRemaining()) {
            return;
        }
        cleaned.write(batches, now);
        for (int pos = batches.position(); pos < batches.limit(); ) {
            int size = BatchHeader.batchSize(batches, pos);
            cleaned.indexBatch(size, BatchHeader.lastOffset(batches, pos), BatchHeader.maxTimestamp(batches, pos),
                    indexIntervalBytes);
            pos += size;
        }
    }

    /** Hands whole consecutive batches of the segment to {@code chunk}, about a megabyte at a time. */
    private boolean forEachChunk(LogSegment segment, Chunk chunk) throws IOException {
        BatchCursor cursor = new BatchCursor(segment.channel(), 0, segment.size());
        long start = 0;
        long end = 0;
        while (cursor.next()) {
            if (end > start && cursor.end() - start > CHUNK_BYTES) {
                if (!chunk.accept(read(segment, start, end))) {
                    return false;
                }
                start = end;
            }
            end = cursor.end();
        }
        return end <= start || chunk.accept(read(segment, start, end));
    }

    private ByteBuffer read(LogSegment segment, long start, long end) throws IOException {
        int size = (int) (end - start);
        if (readBuffer.capacity() < size) {
            readBuffer = ByteBuffer.allocate(size);
        }
        readBuffer.clear().limit(size);
        while (readBuffer.hasRemaining()) {
            if (segment.channel().read(readBuffer, start + readBuffer.position()) < 0) {
                throw new IOException("Unexpected end of segment " + segment.baseOffset());
            }
        }
        return readBuffer.flip();
    }
}
