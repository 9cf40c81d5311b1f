package io.runnel.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * {@code .timeindex}: int64 timestamp, int32 relative offset. Each entry is the segment's largest timestamp so far and
 * the last offset of the batch where it first appeared, so timestamps strictly increase.
 */
final class TimeIndex extends MappedIndex {
    static final int ENTRY_SIZE = 12;
    private final long baseOffset;

    TimeIndex(Path file, long baseOffset, int capacityBytes) throws IOException {
        super(file, ENTRY_SIZE, capacityBytes);
        this.baseOffset = baseOffset;
    }

    void maybeAppend(long timestamp, long offset) {
        int last = entries() - 1;
        if (last >= 0 && timestamp <= buffer().getLong(entryPosition(last))) {
            return;
        }
        int slot = nextSlot();
        if (slot < 0) {
            return;
        }
        MappedByteBuffer b = buffer();
        b.putLong(slot, timestamp);
        b.putInt(slot + 8, (int) (offset - baseOffset));
        commit();
    }

    /** An offset at or before the first record with a timestamp at least {@code timestamp}: where a scan starts. */
    long lookup(long timestamp) {
        int n = floorEntry(timestamp - 1);
        return n < 0 ? baseOffset : offsetAt(n);
    }

    /** The newest entry's timestamp, or -1 if none. */
    long lastTimestamp() {
        int n = entries() - 1;
        return n < 0 ? -1 : buffer().getLong(entryPosition(n));
    }

    /** The newest entry's offset, or the base offset if none. */
    long lastOffset() {
        int n = entries() - 1;
        return n < 0 ? baseOffset : offsetAt(n);
    }

    private long offsetAt(int n) {
        return baseOffset + buffer().getInt(entryPosition(n) + 8);
    }

    @Override
    long keyAt(MappedByteBuffer b, int n) {
        return b.getLong(entryPosition(n));
    }

    @Override
    boolean isSane(long segmentSize) {
        MappedByteBuffer b = buffer();
        long previousTimestamp = Long.MIN_VALUE;
        int previousOffset = -1;
        for (int n = 0; n < entries(); n++) {
            long timestamp = b.getLong(entryPosition(n));
            int relative = b.getInt(entryPosition(n) + 8);
            if (timestamp <= previousTimestamp || relative < previousOffset) {
                return false;
            }
            previousTimestamp = timestamp;
            previousOffset = relative;
        }
        return true;
    }
}
