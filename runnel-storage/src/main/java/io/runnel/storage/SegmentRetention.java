package io.runnel.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** Which closed segments retention and DeleteRecords may remove; the log removes them under its lock. */
final class SegmentRetention {
    private SegmentRetention() {
    }

    /**
     * The oldest closed segments, in order, while their largest timestamp is older than retention.ms or the
     * partition's {@code size} exceeds retention.bytes by at least the segment's size.
     */
    static List<LogSegment> expired(NavigableMap<Long, LogSegment> segments, LogSegment active, LogConfig cfg,
                                    long size, long nowMs) {
        long excess = cfg.retentionBytes() < 0 ? -1 : size - cfg.retentionBytes();
        List<LogSegment> expired = new ArrayList<>();
        for (LogSegment segment : segments.values()) {
            if (segment == active) {
                break;
            }
            // A segment left empty by compaction has no timestamp: it holds nothing to retain.
            boolean byTime = cfg.retentionMs() >= 0
                    && (segment.size() == 0 || nowMs - segment.maxTimestamp() > cfg.retentionMs());
            boolean bySize = excess >= segment.size();
            if (!byTime && !bySize) {
                break;
            }
            excess -= segment.size();
            expired.add(segment);
        }
        return expired;
    }

    /** The closed segments wholly below {@code offset}: the next segment starts at or before it. */
    static List<LogSegment> whollyBelow(NavigableMap<Long, LogSegment> segments, LogSegment active, long offset) {
        List<LogSegment> below = new ArrayList<>();
        for (Map.Entry<Long, LogSegment> e : segments.headMap(offset, false).entrySet()) {
            Long next = segments.higherKey(e.getKey());
            if (e.getValue() != active && next != null && next <= offset) {
                below.add(e.getValue());
            }
        }
        return below;
    }
}
