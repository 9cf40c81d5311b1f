package io.runnel.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/** {@code .index}: int32 offset relative to the segment's base, int32 file position of the batch holding it. */
final class OffsetIndex extends MappedIndex {
    static final int ENTRY_SIZE = 8;
    private final long baseOffset;

    OffsetIndex(Path file, long baseOffset, int capacityBytes) throws IOException {
        super(file, ENTRY_SIZE, capacityBytes);
        this.baseOffset = baseOffset;
    }

    /** Maps the last offset of a batch to the batch's position; skipped when full (entries are only a shortcut). */
    void append(long offset, int position) {
        int slot = nextSlot();
        if (slot < 0) {
            return;
        }
        MappedByteBuffer b = buffer();
        b.putInt(slot, (int) (offset - baseOffset));
        b.putInt(slot + 4, position);
        commit();
    }

    /** Position of a batch at or before the one holding {@code offset}: where a scan for it starts. */
    int lookup(long offset) {
        int n = floorEntry(offset);
        return n < 0 ? 0 : buffer().getInt(entryPosition(n) + 4);
    }

    @Override
    long keyAt(MappedByteBuffer b, int n) {
        return baseOffset + b.getInt(entryPosition(n));
    }

    @Override
    boolean isSane(long segmentSize) {
        MappedByteBuffer b = buffer();
        long previousOffset = -1;
        long previousPosition = -1;
        for (int n = 0; n < entries(); n++) {
            int relative = b.getInt(entryPosition(n));
            int position = b.getInt(entryPosition(n) + 4);
            if (relative <= previousOffset || position <= previousPosition || position >= segmentSize) {
                return false;
            }
            previousOffset = relative;
            previousPosition = position;
        }
        return true;
    }
}
