package io.runnel.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * A segment's {@code .txnindex}: the transactions whose abort marker lies in the segment, in marker order, each a
 * 34-byte entry in Kafka's byte format (int16 version 0, int64 producer id, first offset, last offset, last stable
 * offset). The file is created at the first entry: most segments have none. Appended under the log's lock; readers
 * see the published entry list, never the file.
 */
final class TransactionIndex {
    static final int ENTRY_SIZE = 34;
    private static final short VERSION = 0;

    /** Where the file is, or is created at the first entry; follows the renames of a replacement segment. */
    private Path file;
    private FileChannel channel;
    private volatile List<AbortedTxn> entries;

    private TransactionIndex(Path file, FileChannel channel, List<AbortedTxn> entries) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
    }

    /** Opens {@code file} if it exists, reading its whole entries (a torn last entry is cut); else none yet. */
    static TransactionIndex open(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new TransactionIndex(file, null, List.of());
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long whole = channel.size() / ENTRY_SIZE * ENTRY_SIZE;
        ByteBuffer b = ByteBuffer.allocate((int) whole);
        while (b.hasRemaining()) {
            if (channel.read(b, b.position()) < 0) {
                break;
            }
        }
        b.flip();
        List<AbortedTxn> read = new ArrayList<>();
        while (b.remaining() >= ENTRY_SIZE && b.getShort() == VERSION) {
            read.add(new AbortedTxn(b.getLong(), b.getLong(), b.getLong(), b.getLong()));
        }
        if (channel.size() != (long) read.size() * ENTRY_SIZE) {
            channel.truncate((long) read.size() * ENTRY_SIZE);
        }
        return new TransactionIndex(file, channel, List.copyOf(read));
    }

    /** The segment's files were renamed: an open file moved with them, a file not yet created goes to the new name. */
    void renamed(Path to) {
        file = to;
    }

    List<AbortedTxn> entries() {
        return entries;
    }

    /** Appends one entry; the markers of a log come in offset order. */
    void append(AbortedTxn txn) throws IOException {
        List<AbortedTxn> current = entries;
        if (!current.isEmpty() && current.get(current.size() - 1).lastOffset() >= txn.lastOffset()) {
            throw new IllegalStateException("Aborted transaction " + txn + " does not follow "
                    + current.get(current.size() - 1) + " in " + file);
        }
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        }
        ByteBuffer b = ByteBuffer.allocate(ENTRY_SIZE).putShort(VERSION).putLong(txn.producerId())
                .putLong(txn.firstOffset()).putLong(txn.lastOffset()).putLong(txn.lastStableOffset()).flip();
        long position = (long) current.size() * ENTRY_SIZE;
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
        List<AbortedTxn> next = new ArrayList<>(current.size() + 1);
        next.addAll(current);
        next.add(txn);
        entries = List.copyOf(next);
    }

    /** Empties the index (before its segment's transactions are replayed into it). */
    void reset() throws IOException {
        if (channel != null) {
            channel.truncate(0);
        }
        entries = List.of();
    }

    /**
     * Adds the transactions that overlap [{@code fetchOffset}, {@code upperBound}) to {@code out}. Returns true when
     * no later segment can hold one: an entry whose last stable offset reaches the bound was written once every
     * transaction starting below the bound had ended.
     */
    boolean collect(long fetchOffset, long upperBound, List<AbortedTxn> out) {
        for (AbortedTxn txn : entries) {
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBound) {
                out.add(txn);
            }
            if (txn.lastStableOffset() >= upperBound) {
                return true;
            }
        }
        return false;
    }

    /**
     * The aborted transactions overlapping [{@code fetchOffset}, {@code upperBound}) in a log's segments: those of the
     * segment holding {@code fetchOffset} and of the later ones until one is known to be the last that can hold any.
     */
    static List<AbortedTxn> collect(NavigableMap<Long, LogSegment> segments, long fetchOffset, long upperBound) {
        List<AbortedTxn> found = new ArrayList<>();
        Long first = segments.floorKey(fetchOffset);
        for (LogSegment segment : segments.tailMap(first == null ? Long.MIN_VALUE : first, true).values()) {
            if (segment.txnIndex().collect(fetchOffset, upperBound, found)) {
                break;
            }
        }
        return found;
    }

    void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
