package io.runnel.broker.replica;

import org.apache.kafka.common.Uuid;

import java.util.LinkedHashMap;

/**
 * An incremental fetch session (KIP-227): the partitions a client fetches, with what it was last told
 * of each, so the next response carries only the partitions that changed.
 */
public final class FetchSession {
    /** A partition by topic id (Fetch v13+) or by name (older versions, id zero). */
    public record Key(Uuid topicId, String topic, int partition) {
    }

    /** The client's fetch position and what the last response told it. */
    public static final class CachedPartition {
        final Key key;
        long fetchOffset;
        int maxBytes;
        int currentLeaderEpoch;
        private long highWatermark = -1;
        private long lastStableOffset = -1;
        private long logStartOffset = -1;

        CachedPartition(Key key) {
            this.key = key;
        }

        public Key key() {
            return key;
        }

        public long fetchOffset() {
            return fetchOffset;
        }

        public int maxBytes() {
            return maxBytes;
        }

        public int currentLeaderEpoch() {
            return currentLeaderEpoch;
        }

        /** Records what a response says of this partition; true if the client has not heard it yet. */
        public boolean updateAndCheckChanged(long hw, long lso, long logStart) {
            boolean changed = hw != highWatermark || lso != lastStableOffset || logStart != logStartOffset;
            highWatermark = hw;
            lastStableOffset = lso;
            logStartOffset = logStart;
            return changed;
        }
    }

    private final int id;
    private int nextEpoch = 1;
    private final LinkedHashMap<Key, CachedPartition> partitions = new LinkedHashMap<>();

    FetchSession(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public int nextEpoch() {
        return nextEpoch;
    }

    public void advanceEpoch() {
        nextEpoch = nextEpoch == Integer.MAX_VALUE ? 1 : nextEpoch + 1;
    }

    /** Adds or updates a partition from the request. */
    public void upsert(Key key, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
        CachedPartition cached = partitions.computeIfAbsent(key, CachedPartition::new);
        cached.fetchOffset = fetchOffset;
        cached.maxBytes = maxBytes;
        cached.currentLeaderEpoch = currentLeaderEpoch;
    }

    public void forget(Key key) {
        partitions.remove(key);
    }

    public Iterable<CachedPartition> partitions() {
        return partitions.values();
    }

    public int size() {
        return partitions.size();
    }

    /** Moves a partition that returned data to the back, so every partition gets its turn under max.bytes. */
    public void rotateToEnd(CachedPartition cached) {
        partitions.remove(cached.key);
        partitions.put(cached.key, cached);
    }
}
