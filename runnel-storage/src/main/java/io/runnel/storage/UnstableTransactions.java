package io.runnel.storage;

import java.util.Map;
import java.util.TreeMap;

/**
 * The transactions that hold a partition's last stable offset back, as in Kafka: the open ones, and the ended ones
 * whose marker is not yet below the high watermark (a new leader without that marker would still see them open).
 * Changed under its own lock, by appends (under the log's lock) and high watermark updates; the last stable offset
 * is computed without a lock from the published array.
 */
final class UnstableTransactions {
    private static final long[] NONE = new long[0];

    /** First offset of each open transaction to its producer id. */
    private final TreeMap<Long, Long> open = new TreeMap<>();
    /** First offset of each ended, not yet replicated transaction to its marker's offset. */
    private final TreeMap<Long, Long> ended = new TreeMap<>();
    private long highWatermark;
    /** Pairs of (first offset, marker offset), open transactions with a marker offset of Long.MAX_VALUE. */
    private volatile long[] published = NONE;

    synchronized void begin(long producerId, long firstOffset) {
        open.put(firstOffset, producerId);
        publish();
    }

    /**
     * Ends the transaction that began at {@code firstOffset} with a marker at {@code markerOffset}. Returns the last
     * stable offset the {@code .txnindex} records for it, Kafka's rule: the first offset of the earliest transaction
     * still open, or the offset after the marker.
     */
    synchronized long end(long firstOffset, long markerOffset) {
        open.remove(firstOffset);
        if (markerOffset >= highWatermark) {
            ended.put(firstOffset, markerOffset);
        }
        publish();
        return open.isEmpty() ? markerOffset + 1 : open.firstKey();
    }

    /** Forgets every ended transaction whose marker the high watermark has passed. */
    void onHighWatermark(long hw) {
        if (published.length == 0) {
            return;
        }
        synchronized (this) {
            highWatermark = hw;
            if (ended.values().removeIf(marker -> marker < hw)) {
                publish();
            }
        }
    }

    /** Forgets every transaction (the producer state is reloaded). */
    synchronized void clear() {
        open.clear();
        ended.clear();
        highWatermark = 0;
        publish();
    }

    /** The smallest first offset of an unstable transaction, capped at {@code highWatermark}. Lock-free. */
    long lastStableOffset(long highWatermark) {
        long lso = highWatermark;
        long[] pairs = published;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] >= highWatermark) {
                lso = Math.min(lso, pairs[i]);
            }
        }
        return lso;
    }

    private void publish() {
        long[] pairs = new long[(open.size() + ended.size()) * 2];
        int i = 0;
        for (Long first : open.keySet()) {
            pairs[i++] = first;
            pairs[i++] = Long.MAX_VALUE;
        }
        for (Map.Entry<Long, Long> e : ended.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        published = pairs;
    }
}
