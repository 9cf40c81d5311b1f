package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start offset of every leader epoch in the log, kept in {@code leader-epoch-checkpoint} (Kafka's text format
 * version 0: the version, the count, then one "epoch startOffset" line per epoch).
 */
final class LeaderEpochCache {
    static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCache.class);

    private record Entry(int epoch, long startOffset) {
    }

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private volatile boolean writable = true;
    /** Epochs assigned by appends that the file does not hold yet. */
    private boolean unwritten;

    private LeaderEpochCache(Path file) {
        this.file = file;
    }

    /** Loads the checkpoint; a missing or unreadable one gives an empty cache (the caller rebuilds it from the log). */
    static LeaderEpochCache load(Path dir) {
        LeaderEpochCache cache = new LeaderEpochCache(dir.resolve(FILE_NAME));
        if (Files.exists(cache.file)) {
            try {
                List<String> lines = Files.readAllLines(cache.file);
                if (!"0".equals(lines.get(0).trim())) {
                    throw new IllegalArgumentException("unknown version " + lines.get(0));
                }
                int count = Integer.parseInt(lines.get(1).trim());
                for (int i = 0; i < count; i++) {
                    String[] parts = lines.get(2 + i).trim().split("\\s+");
                    cache.entries.add(new Entry(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("Ignoring unreadable {}: {}", cache.file, e.toString());
                cache.entries.clear();
            }
        }
        return cache;
    }

    synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} if it is newer than every known epoch: what appends and
     * recovery do for each batch, which never rewrites an epoch already known. The file is not written here (an
     * append may run on an event loop, and writing it means a file creation and an fsync): {@link #flush()} writes
     * it before the recovery point passes the epoch's batches, and recovery from below them assigns it again.
     */
    synchronized void assign(int epoch, long startOffset) {
        if (epoch < 0 || (!entries.isEmpty() && epoch <= entries.get(entries.size() - 1).epoch())) {
            return;
        }
        entries.add(new Entry(epoch, startOffset));
        unwritten = true;
    }

    /** Writes the file if appends assigned epochs it does not hold. */
    synchronized void flush() {
        if (unwritten) {
            write();
        }
    }

    /**
     * Kafka's LeaderEpochFileCache.assign, for a leader taking over: {@code epoch} starts at {@code startOffset}, and
     * every entry that contradicts it (an epoch at least as large, or one starting at or after that offset) goes.
     * Nothing changes if the latest entry is this epoch starting no later.
     */
    synchronized void assignStart(int epoch, long startOffset) {
        if (epoch < 0) {
            throw new IllegalArgumentException("Leader epoch " + epoch + " is negative");
        }
        Entry latest = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        if (latest != null && latest.epoch() == epoch && latest.startOffset() <= startOffset) {
            return;
        }
        entries.removeIf(e -> e.epoch() >= epoch || e.startOffset() >= startOffset);
        entries.add(new Entry(epoch, startOffset));
        write();
    }

    /** Forgets every epoch (the log was emptied). */
    synchronized void clear() {
        entries.clear();
        write();
    }

    /** The epoch whose range holds {@code offset}, or -1 if the cache knows none that starts at or before it. */
    synchronized int epochAt(long offset) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).startOffset() <= offset) {
                return entries.get(i).epoch();
            }
        }
        return -1;
    }

    /** Drops the epochs that start at or after {@code endOffset}, which the log no longer holds. */
    synchronized void truncateFromEnd(long endOffset) {
        if (entries.removeIf(e -> e.startOffset() >= endOffset)) {
            write();
        }
    }

    synchronized int latestEpoch() {
        return entries.isEmpty() ? -1 : entries.get(entries.size() - 1).epoch();
    }

    /**
     * Kafka's OffsetsForLeaderEpoch answer: for the latest epoch, the log end; otherwise the largest epoch at or
     * below the one asked for (the one asked for if it precedes them all) and the start of the first later epoch;
     * empty for an epoch newer than all.
     */
    synchronized Optional<EpochEndOffset> endOffsetFor(int epoch, long logEndOffset) {
        if (entries.isEmpty() || epoch < 0) {
            return Optional.empty();
        }
        if (epoch == latestEpoch()) {
            return Optional.of(new EpochEndOffset(epoch, logEndOffset));
        }
        int floorEpoch = epoch;
        for (Entry e : entries) {
            if (e.epoch() > epoch) {
                return Optional.of(new EpochEndOffset(floorEpoch, e.startOffset()));
            }
            floorEpoch = e.epoch();
        }
        return Optional.empty();
    }

    /** Stops writing the checkpoint (the directory is being deleted). */
    void disableWrites() {
        writable = false;
    }

    /** Writes these epochs as the checkpoint of the log in {@code dir} (a copy taking this log's place). */
    synchronized void writeTo(Path dir) {
        AtomicFile.write(dir.resolve(FILE_NAME), text());
    }

    private void write() {
        unwritten = false;
        if (!writable) {
            return;
        }
        AtomicFile.write(file, text());
    }

    private String text() {
        StringBuilder text = new StringBuilder("0\n").append(entries.size()).append('\n');
        for (Entry e : entries) {
            text.append(e.epoch()).append(' ').append(e.startOffset()).append('\n');
        }
        return text.toString();
    }
}
