package io.runnel.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a segment's {@code .index} or {@code .timeindex} file for {@code runnel dump-log}, read-only (the log's own
 * index classes resize the file they open). Entries end at the first empty slot of a preallocated active index.
 */
public final class IndexFileDump {
    /** An offset index entry (offset, position) or a time index entry (timestamp, offset), in absolute offsets. */
    public record Entry(long first, long second) {
    }

    private IndexFileDump() {
    }

    public static boolean isTimeIndex(Path file) {
        return file.getFileName().toString().endsWith(LogFiles.TIME_INDEX);
    }

    public static List<Entry> entries(Path file) throws IOException {
        boolean time = isTimeIndex(file);
        long baseOffset = LogFiles.offsetOf(file, time ? LogFiles.TIME_INDEX : LogFiles.INDEX);
        if (baseOffset < 0) {
            throw new IllegalArgumentException(file + " is not named <20-digit base offset>.index or .timeindex");
        }
        int entrySize = time ? TimeIndex.ENTRY_SIZE : OffsetIndex.ENTRY_SIZE;
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Entry> entries = new ArrayList<>();
        for (int pos = 0; pos + entrySize <= b.limit(); pos += entrySize) {
            Entry e = time ? new Entry(b.getLong(pos), baseOffset + b.getInt(pos + 8))
                    : new Entry(baseOffset + b.getInt(pos), b.getInt(pos + 4));
            boolean emptySlot = time ? e.first() == 0 : pos > 0 && e.first() == baseOffset && e.second() == 0;
            if (emptySlot) {
                break;
            }
            entries.add(e);
        }
        return entries;
    }

    /**
     * Null if the index is sane, else why not: a length that is not whole entries, keys that do not increase, or
     * (offset index) positions that do not increase or lie past the end of the segment's log file.
     */
    public static String sanityProblem(Path file) throws IOException {
        boolean time = isTimeIndex(file);
        int entrySize = time ? TimeIndex.ENTRY_SIZE : OffsetIndex.ENTRY_SIZE;
        long length = Files.size(file);
        if (length % entrySize != 0) {
            return "index file " + file + " has size " + length + ", not a multiple of the entry size " + entrySize;
        }
        Path log = file.resolveSibling(file.getFileName().toString()
                .replace(time ? LogFiles.TIME_INDEX : LogFiles.INDEX, LogFiles.LOG));
        long logSize = Files.exists(log) ? Files.size(log) : Long.MAX_VALUE;
        Entry previous = null;
        for (Entry e : entries(file)) {
            if (previous != null && e.first() <= previous.first()) {
                return "entry " + e + " does not increase after " + previous;
            }
            if (!time && ((previous != null && e.second() <= previous.second()) || e.second() >= logSize)) {
                return "position " + e.second() + " of offset " + e.first() + " is out of order or past the end of "
                        + log.getFileName() + " (" + logSize + " bytes)";
            }
            previous = e;
        }
        return null;
    }
}
