package io.runnel.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A memory-mapped file of fixed-size entries sorted by key, preallocated while its segment is active and trimmed to
 * its entries when the segment rolls. One appender (under the log's lock); lock-free readers see only entries counted
 * by the volatile {@code entries}, all of which lie inside every mapping and file length the index ever has.
 */
abstract class MappedIndex {
    private final Path file;
    private final int entrySize;
    private final RandomAccessFile raf;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    /** Opens or creates {@code file}; an existing file is taken to hold exactly its length in entries. */
    MappedIndex(Path file, int entrySize, int capacityBytes) throws IOException {
        this.file = file;
        this.entrySize = entrySize;
        this.raf = new RandomAccessFile(file.toFile(), "rw");
        long length = raf.length();
        this.entries = (int) (length / entrySize);
        map(Math.max(capacityBytes / entrySize * entrySize, entries * entrySize));
    }

    final int entries() {
        return entries;
    }

    /** True when the next segment should roll; one slot stays free for the entry written when it does. */
    final boolean isFull() {
        return entries >= maxEntries - 1;
    }

    final MappedByteBuffer buffer() {
        return mmap;
    }

    final int entryPosition(int n) {
        return n * entrySize;
    }

    /** Reserves the next entry's slot, or -1 if the file is full; {@link #commit} makes it visible. */
    final int nextSlot() {
        return entries < maxEntries ? entries * entrySize : -1;
    }

    final void commit() {
        entries = entries + 1;
    }

    final synchronized void reset() {
        entries = 0;
    }

    /** Grows (or trims) the file to {@code capacityBytes}, never below its entries. */
    final synchronized void resize(int capacityBytes) {
        try {
            map(Math.max(capacityBytes / entrySize * entrySize, entries * entrySize));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot resize " + file, e);
        }
    }

    final void trim() {
        resize(0);
    }

    final synchronized void flush() throws IOException {
        mmap.force();
        raf.getChannel().force(true);
    }

    final synchronized void close() throws IOException {
        raf.close();
    }

    /** Index of the last entry whose key is at most {@code key}, or -1. */
    final int floorEntry(long key) {
        MappedByteBuffer b = mmap;
        int lo = 0;
        int hi = entries - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keyAt(b, mid) <= key) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The key (absolute offset or timestamp) of entry {@code n}. */
    abstract long keyAt(MappedByteBuffer b, int n);

    /** True if the entries are well-formed for a segment of {@code segmentSize} bytes. */
    abstract boolean isSane(long segmentSize);

    private void map(int length) throws IOException {
        raf.setLength(length);
        FileChannel ch = raf.getChannel();
        mmap = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
        maxEntries = length / entrySize;
    }
}
