package io.runnel.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Supplier;

import io.runnel.storage.record.ProducedBatches;
import io.runnel.storage.record.TxnMarkers;
import org.apache.kafka.common.TopicPartition;

/**
 * The append step that leader and follower appends share, and segment rolling: all under the log's append lock, which
 * also guards the parsed batches, the leader epochs and the producer state.
 */
final class LogAppender {
    private final TopicPartition topicPartition;
    /** Read at each use: the directory moves when the log is deleted. */
    private final Supplier<Path> dir;
    private final LogSegments segments;
    private final LeaderEpochCache epochs;
    private final ProducerStateManager producers;
    private final LogFlusher flusher;
    private final BackgroundTasks background;
    private final LogDirFailureChannel failures;

    LogAppender(TopicPartition topicPartition, Supplier<Path> dir, LogSegments segments, LeaderEpochCache epochs,
                ProducerStateManager producers, LogFlusher flusher, BackgroundTasks background,
                LogDirFailureChannel failures) {
        this.failures = failures;
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.segments = segments;
        this.epochs = epochs;
        this.producers = producers;
        this.flusher = flusher;
        this.background = background;
    }

    /**
     * The parsed batches, with their final offsets and epochs, go to the active segment (rolled first if needed) in
     * one write; then the epochs, indexes and producer state follow them batch by batch (from their headers; a
     * transaction marker's one record is read), an aborted transaction goes to the segment's transaction index, and
     * the new log end is published.
     */
    void write(ProducedBatches parsed, ByteBuffer batches, LogConfig cfg, long now) {
        long firstOffset = segments.endOffset();
        long nextOffset = parsed.lastOffset(parsed.count() - 1) + 1;
        LogSegment segment = maybeRoll(batches.remaining(), nextOffset - 1, cfg, now);
        try {
            segment.write(batches, now);
        } catch (IOException e) {
            throw failures.failed(dir.get(), "Cannot append to " + topicPartition + " in " + dir.get(), e);
        }
        for (int i = 0; i < parsed.count(); i++) {
            long batchFirst = parsed.baseOffset(i);
            long batchLast = parsed.lastOffset(i);
            epochs.assign(parsed.partitionLeaderEpoch(i), batchFirst);
            segment.indexBatch(parsed.sizeInBytes(i), batchLast, parsed.maxTimestamp(i), cfg.indexIntervalBytes());
            long producerId = parsed.producerId(i);
            if (producerId >= 0 && parsed.isControl(i)) {
                TxnMarkers.Marker marker = parsed.marker(i);
                if (marker == null) {
                    producers.emptiedMarker(producerId, parsed.producerEpoch(i));
                } else {
                    indexAborted(segment, producers.endTransaction(producerId, parsed.producerEpoch(i), marker,
                            batchFirst, parsed.maxTimestamp(i)));
                }
            } else if (producerId >= 0) {
                producers.update(producerId, parsed.producerEpoch(i), parsed.baseSequence(i), parsed.lastSequence(i),
                        batchFirst, batchLast, parsed.maxTimestamp(i), parsed.isTransactional(i));
            }
        }
        segments.publishEnd(nextOffset);
        flusher.appended(nextOffset - firstOffset, cfg.flushMessages());
    }

    private void indexAborted(LogSegment segment, AbortedTxn aborted) {
        if (aborted == null) {
            return;
        }
        try {
            segment.txnIndex().append(aborted);
        } catch (IOException e) {
            throw failures.failed(dir.get(), "Cannot index the aborted transaction " + aborted + " of "
                    + topicPartition + " in " + dir.get(), e);
        }
    }

    /** Starts a new segment at the log end if the append would not fit the active one by size, age or index room. */
    private LogSegment maybeRoll(int appendBytes, long lastOffset, LogConfig cfg, long now) {
        LogSegment segment = segments.active();
        boolean nonEmpty = segment.size() > 0;
        boolean roll = nonEmpty && (segment.size() + (long) appendBytes > cfg.segmentBytes()
                || segment.ageMs(now) > cfg.segmentMs() - segment.rollJitterMs())
                || segment.indexesFull()
                || lastOffset - segment.baseOffset() > Integer.MAX_VALUE;
        if (!roll) {
            return segment;
        }
        segment.seal();
        roll(cfg);
        return segments.active();
    }

    /**
     * Opens a new active segment at the log end and publishes it; the producer state snapshot at that offset and a
     * flush follow on the scheduler. The previous active segment must be sealed or out of the log already.
     */
    void roll(LogConfig cfg) {
        long end = segments.endOffset();
        Path snapshotDir = dir.get();
        try {
            LogSegment next = LogSegment.open(snapshotDir, end, cfg.segmentIndexBytes(), PartitionLog.jitter(cfg));
            segments.addActive(next);
        } catch (IOException e) {
            throw failures.failed(snapshotDir, "Cannot roll a new segment of " + topicPartition + " in " + snapshotDir,
                    e);
        }
        segments.publishSegments();
        long snapshotOffset = end;
        ByteBuffer snapshot = producers.snapshot();
        background.run("roll", () -> {
            if (snapshotDir.equals(dir.get())) { // a log deleted or moved to another dir since needs none here
                ProducerStateManager.writeSnapshot(snapshotDir, snapshotOffset, snapshot);
            }
            flusher.flush();
        });
    }
}
