package io.runnel.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A log's segment list, changed only under the log's append lock, and the {@link View} of it published to readers,
 * who take no lock: every change reaches them as one volatile write of a new immutable view.
 */
final class LogSegments {
    /**
     * What readers see: the segments and the log end at one instant, published after each append and each change of
     * the segment list. Every batch below the end lies in these segments, in bytes that are never rewritten; the end
     * is at {@code endPosition} in the last segment.
     */
    record View(NavigableMap<Long, LogSegment> segments, long endOffset, int endPosition) {
        View(NavigableMap<Long, LogSegment> segments, long endOffset) {
            // Empty for an instant while a full truncation swaps every segment for a new one.
            this(segments, endOffset, segments.isEmpty() ? 0 : segments.lastEntry().getValue().size());
        }
    }

    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final SegmentDisposal disposal;
    private volatile LogSegment active;
    private volatile View view;

    LogSegments(ConcurrentSkipListMap<Long, LogSegment> segments, long endOffset, SegmentDisposal disposal) {
        this.segments = segments;
        this.disposal = disposal;
        this.active = segments.lastEntry().getValue();
        this.view = new View(snapshot(segments), endOffset);
    }

    private static NavigableMap<Long, LogSegment> snapshot(NavigableMap<Long, LogSegment> segments) {
        return Collections.unmodifiableNavigableMap(new TreeMap<>(segments));
    }

    /** The latest published view; a volatile read. */
    View view() {
        return view;
    }

    /** The published log end; a volatile read. */
    long endOffset() {
        return view.endOffset();
    }

    /** The live segment map: a concurrent map, changed only under the append lock. */
    ConcurrentSkipListMap<Long, LogSegment> map() {
        return segments;
    }

    LogSegment active() {
        return active;
    }

    /** Publishes the current segment list (under the append lock). */
    void publishSegments() {
        view = new View(snapshot(segments), view.endOffset());
    }

    /** Publishes a new end after an append to the active segment (under the append lock). */
    void publishEnd(long end) {
        view = new View(view.segments(), end);
    }

    /** Publishes the current segment list with a new end (under the append lock). */
    void publish(long end) {
        view = new View(snapshot(segments), end);
    }

    /** Adds a new active segment (under the append lock); the caller publishes. */
    void addActive(LogSegment next) {
        segments.put(next.baseOffset(), next);
        active = next;
    }

    /** Unlinks a segment from the log (under the append lock); its files go once in-flight reads are done. */
    void remove(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
        disposal.unlinked(segment);
    }

    /** Unlinks the segments starting at or after {@code offset}, the newest first, so a crash leaves a prefix. */
    void removeFrom(long offset) {
        List<LogSegment> removed = new ArrayList<>(segments.tailMap(offset, true).descendingMap().values());
        removed.forEach(this::remove);
    }

    /** Replaces {@code old} by {@code replacement}, whose files carry {@code state}; the rename to swap commits. */
    void swapIn(LogSegment old, LogSegment replacement, String state) throws IOException {
        disposal.swapFiles(old, replacement, state);
        segments.put(old.baseOffset(), replacement);
        disposal.deleteLater(old);
    }

    /** {@link #swapIn} of the last segment, whose replacement becomes the active segment. */
    void swapInActive(LogSegment old, LogSegment replacement, String state) throws IOException {
        swapIn(old, replacement, state);
        active = replacement;
    }

    /** Bytes in all segments. */
    long size() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    /** The closed segments, oldest first: what the cleaner may rewrite. */
    List<LogSegment> closedSegments() {
        List<LogSegment> closed = new ArrayList<>(segments.values());
        // Empty for an instant while a full truncation swaps every segment for a new one.
        if (!closed.isEmpty()) {
            closed.remove(closed.size() - 1);
        }
        return closed;
    }

    /** Offset where the segment after {@code segment} starts. */
    long nextSegmentBase(LogSegment segment) {
        Long next = segments.higherKey(segment.baseOffset());
        return next == null ? view.endOffset() : next;
    }
}
