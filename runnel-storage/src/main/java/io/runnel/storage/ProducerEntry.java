package io.runnel.storage;

/**
 * One idempotent producer's epoch and the metadata of its last {@value #RETAINED} batches, oldest first; for a
 * transactional producer also the first offset of its open transaction and the coordinator epoch of its last marker.
 */
final class ProducerEntry {
    static final int RETAINED = 5;

    short epoch;
    int coordinatorEpoch = -1;
    /** The first offset of the producer's open transaction, or -1 if none is open. */
    long currentTxnFirstOffset = -1;
    /** The newest timestamp of the producer's batches and markers seen here, or -1 if none is known. */
    long lastTimestamp = -1;
    private int count;
    private int head;
    private final int[] firstSeq = new int[RETAINED];
    private final int[] lastSeq = new int[RETAINED];
    private final long[] firstOffset = new long[RETAINED];
    private final long[] lastOffset = new long[RETAINED];
    private final long[] timestamp = new long[RETAINED];

    ProducerEntry(short epoch) {
        this.epoch = epoch;
    }

    int count() {
        return count;
    }

    /** The last sequence appended in the current epoch, or -1 if none. */
    int lastSequence() {
        return count == 0 ? -1 : lastSeq[slot(count - 1)];
    }

    /** Index {@code n} (0 = oldest) of the retained batch with these sequences, or -1. */
    int find(int first, int last) {
        for (int n = 0; n < count; n++) {
            int s = slot(n);
            if (firstSeq[s] == first && lastSeq[s] == last) {
                return n;
            }
        }
        return -1;
    }

    void add(int first, int last, long firstOff, long lastOff, long ts) {
        int s;
        if (count < RETAINED) {
            s = slot(count++);
        } else {
            s = head;
            head = (head + 1) % RETAINED;
        }
        firstSeq[s] = first;
        lastSeq[s] = last;
        firstOffset[s] = firstOff;
        lastOffset[s] = lastOff;
        timestamp[s] = ts;
        lastTimestamp = Math.max(lastTimestamp, ts);
    }

    /** A new epoch forgets the old epoch's batches. */
    void bumpEpoch(short newEpoch) {
        epoch = newEpoch;
        count = 0;
        head = 0;
    }

    int firstSeq(int n) {
        return firstSeq[slot(n)];
    }

    int lastSeq(int n) {
        return lastSeq[slot(n)];
    }

    long firstOffset(int n) {
        return firstOffset[slot(n)];
    }

    long lastOffset(int n) {
        return lastOffset[slot(n)];
    }

    long timestamp(int n) {
        return timestamp[slot(n)];
    }

    private int slot(int n) {
        return (head + n) % RETAINED;
    }
}
