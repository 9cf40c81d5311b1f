package io.runnel.storage;

import java.io.IOException;
import java.util.Collection;
import java.util.function.LongSupplier;

/** ListOffsets by timestamp over a log's segments: the segments' largest timestamps say which to search. */
final class SegmentTimestamps {
    private SegmentTimestamps() {
    }

    /** The first record at or after the log start whose timestamp is at least {@code timestampMs}, or null. */
    static TimestampOffset offsetFor(Collection<LogSegment> segments, long timestampMs, LongSupplier logStartOffset)
            throws IOException {
        for (LogSegment segment : segments) {
            if (segment.maxTimestamp() >= timestampMs) {
                TimestampOffset found = segment.findTimestamp(timestampMs, logStartOffset.getAsLong());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The record with the largest timestamp, the earliest one among ties, or null if no segment has one. */
    static TimestampOffset maxTimestampOffset(Collection<LogSegment> segments) throws IOException {
        LogSegment best = null;
        for (LogSegment segment : segments) {
            if (segment.maxTimestamp() >= 0 && (best == null || segment.maxTimestamp() > best.maxTimestamp())) {
                best = segment;
            }
        }
        return best == null ? null : best.findMaxTimestamp();
    }
}
