package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;

/**
 * A log's reads, lock-free on the published {@link LogSegments.View}, as Kafka reads: from the batch holding the
 * fetch offset (found from the offset index, reading only the batch headers after its entry) to the read bound's
 * position or {@code maxBytes}, without reading the batches in between. The bound's position is the view's end
 * position when the bound is the log end, a closed segment's size when the bound lies past it, else looked up once
 * per bound (a high watermark or last stable offset, always a batch boundary) and kept for the next reads.
 */
final class LogReader {
    private final TopicPartition topicPartition;
    private final LogSegments segments;
    private final LongSupplier logStartOffset;
    /** Read at each use: the directory moves when the log is deleted. */
    private final Supplier<Path> dir;
    private final LogDirFailureChannel failures;
    private volatile BoundPosition boundPosition;

    LogReader(TopicPartition topicPartition, LogSegments segments, LongSupplier logStartOffset, Supplier<Path> dir,
              LogDirFailureChannel failures) {
        this.topicPartition = topicPartition;
        this.segments = segments;
        this.logStartOffset = logStartOffset;
        this.dir = dir;
        this.failures = failures;
    }

    /** See {@link PartitionLog#read}. */
    LogSlice read(long fetchOffset, int maxBytes, long maxOffsetExclusive, boolean minOneMessage) {
        LogSegments.View v = segments.view();
        // Read after the view: a log start moved (then published) by a truncation or deletion is at least as new.
        long start = logStartOffset.getAsLong();
        long end = v.endOffset();
        if (fetchOffset < start || fetchOffset > end) {
            throw new OffsetOutOfRangeException("Offset " + fetchOffset + " of " + topicPartition
                    + " is out of range [" + start + ", " + end + "]");
        }
        // The view's segments hold every batch below its end; bounding by that end hides batches appended since.
        long limit = Math.min(maxOffsetExclusive, end);
        if (fetchOffset >= limit || (maxBytes <= 0 && !minOneMessage)) {
            return LogSlice.EMPTY;
        }
        try {
            for (Map.Entry<Long, LogSegment> e = v.segments().floorEntry(fetchOffset); e != null;
                 e = v.segments().higherEntry(e.getKey())) {
                LogSegment segment = e.getValue();
                if (segment.baseOffset() >= limit) {
                    break;
                }
                Long nextBase = v.segments().higherKey(e.getKey());
                int maxPosition;
                if (nextBase == null) {
                    maxPosition = limit == end ? v.endPosition() : boundPosition(segment, limit);
                } else {
                    maxPosition = limit >= nextBase ? segment.size() : boundPosition(segment, limit);
                }
                LogSlice slice = segment.read(fetchOffset, maxBytes, maxPosition, minOneMessage);
                if (slice != null) {
                    return slice;
                }
            }
        } catch (IOException e) {
            Path current = dir.get();
            throw failures.failed(current, "Cannot read " + topicPartition + " from " + current, e);
        }
        return LogSlice.EMPTY;
    }

    /**
     * Where {@code bound} lies in {@code segment}: the start of the first batch that reaches it. Consumers read up to
     * the same bound until it moves, so the last answer is kept.
     */
    private int boundPosition(LogSegment segment, long bound) throws IOException {
        BoundPosition cached = boundPosition;
        if (cached != null && cached.segment == segment && cached.offset == bound) {
            return cached.position;
        }
        int position = segment.positionOf(bound);
        boundPosition = new BoundPosition(segment, bound, position);
        return position;
    }

    /** A read bound's position in a segment; segments never change below their published end. */
    private record BoundPosition(LogSegment segment, long offset, int position) {
    }
}
