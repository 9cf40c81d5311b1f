package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import io.runnel.storage.record.BatchHeader;
import io.runnel.storage.record.ProducedBatches;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent producers of one partition: epoch and last batches per producer id, used to fence old epochs, reject
 * sequence gaps and answer retried batches with their original offsets. Guarded by the log's lock. Snapshots are
 * {@code <offset>.snapshot} files in our own CRC-checked binary format.
 */
final class ProducerStateManager {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final int SNAPSHOT_VERSION = 1;
    private static final int SNAPSHOT_HEADER = 12;
    private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8;

    /** The offsets a retried batch was first appended at, and its (possibly log append) timestamp. */
    record Duplicate(long firstOffset, long lastOffset, long timestamp) {
    }

    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    /**
     * Checks the idempotent batches of one request in order, each as if the earlier ones were already appended.
     * Returns the first batch that repeats one already in the log, or null.
     */
    Duplicate validate(ProducedBatches batches) {
        for (int i = 0; i < batches.count(); i++) {
            long producerId = batches.producerId(i);
            if (producerId < 0) {
                continue;
            }
            short epoch = batches.producerEpoch(i);
            int firstSeq = batches.baseSequence(i);
            int previous = previousInRequest(batches, i, producerId);
            short currentEpoch;
            int currentLastSeq;
            if (previous >= 0) {
                currentEpoch = batches.producerEpoch(previous);
                currentLastSeq = batches.lastSequence(previous);
            } else {
                ProducerEntry entry = producers.get(producerId);
                if (entry == null) {
                    currentEpoch = -1;
                    currentLastSeq = -1;
                } else {
                    int n = entry.epoch == epoch ? entry.find(firstSeq, batches.lastSequence(i)) : -1;
                    if (n >= 0) {
                        return new Duplicate(entry.firstOffset(n), entry.lastOffset(n), entry.timestamp(n));
                    }
                    currentEpoch = entry.epoch;
                    currentLastSeq = entry.lastSequence();
                }
            }
            checkSequence(producerId, epoch, firstSeq, currentEpoch, currentLastSeq);
        }
        return null;
    }

    private static int previousInRequest(ProducedBatches batches, int i, long producerId) {
        for (int j = i - 1; j >= 0; j--) {
            if (batches.producerId(j) == producerId) {
                return j;
            }
        }
        return -1;
    }

    private static void checkSequence(long producerId, short epoch, int firstSeq, short currentEpoch,
                                      int currentLastSeq) {
        if (epoch < currentEpoch) {
            throw new InvalidProducerEpochException("Producer " + producerId + " epoch " + epoch
                    + " is older than the current epoch " + currentEpoch);
        }
        if (epoch > currentEpoch) {
            if (firstSeq != 0) {
                throw new OutOfOrderSequenceException("Producer " + producerId + " epoch " + epoch
                        + " must start at sequence 0, not " + firstSeq);
            }
        } else if (firstSeq != BatchHeader.addSequence(currentLastSeq, 1)) {
            throw new OutOfOrderSequenceException("Producer " + producerId + " sent sequence " + firstSeq
                    + " after " + currentLastSeq);
        }
    }

    void update(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset, long lastOffset,
                long timestamp) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerEntry(epoch);
            producers.put(producerId, entry);
        } else if (entry.epoch != epoch) {
            entry.bumpEpoch(epoch);
        }
        entry.add(firstSeq, lastSeq, firstOffset, lastOffset, timestamp);
    }

    /** Each producer's last batch, as the last offset of that batch (producers with none yet are absent). */
    Map<Long, Long> lastOffsets() {
        Map<Long, Long> last = new HashMap<>();
        producers.forEach((producerId, e) -> {
            if (e.count() > 0) {
                last.put(producerId, e.lastOffset(e.count() - 1));
            }
        });
        return last;
    }

    /** The whole state, serialized (cheap, under the log's lock); written to disk by {@link #writeSnapshot}. */
    ByteBuffer snapshot() {
        int size = SNAPSHOT_HEADER;
        for (ProducerEntry e : producers.values()) {
            size += 8 + 2 + 4 + e.count() * BATCH_BYTES;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(SNAPSHOT_VERSION).putInt(0).putInt(producers.size());
        producers.forEach((producerId, e) -> {
            b.putLong(producerId).putShort(e.epoch).putInt(e.count());
            for (int n = 0; n < e.count(); n++) {
                b.putInt(e.firstSeq(n)).putInt(e.lastSeq(n)).putLong(e.firstOffset(n)).putLong(e.lastOffset(n))
                        .putLong(e.timestamp(n));
            }
        });
        b.putInt(4, crc(b, 8, b.position()));
        return b.flip();
    }

    static void writeSnapshot(Path dir, long offset, ByteBuffer content) {
        AtomicFile.write(LogFiles.file(dir, offset, LogFiles.SNAPSHOT), content);
    }

    /**
     * Loads the newest readable snapshot at or below {@code logEndOffset}, deleting the ones above it (their log was
     * truncated). Returns the offset the state is valid up to: the snapshot's, or 0 if none was usable.
     */
    long loadSnapshot(Path dir, long logEndOffset) throws IOException {
        producers.clear();
        TreeMap<Long, Path> snapshots = deleteSnapshotsAbove(dir, logEndOffset);
        for (Map.Entry<Long, Path> s : snapshots.descendingMap().entrySet()) {
            if (read(s.getValue())) {
                return s.getKey();
            }
            LOG.warn("Ignoring corrupt producer state snapshot {}", s.getValue());
        }
        return 0;
    }

    /** Deletes the snapshots above {@code offset}; returns the others by offset. */
    static TreeMap<Long, Path> deleteSnapshotsAbove(Path dir, long offset) throws IOException {
        TreeMap<Long, Path> kept = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LogFiles.SNAPSHOT)) {
            for (Path file : files) {
                long snapshotOffset = LogFiles.offsetOf(file, LogFiles.SNAPSHOT);
                if (snapshotOffset > offset) {
                    Files.deleteIfExists(file);
                } else if (snapshotOffset >= 0) {
                    kept.put(snapshotOffset, file);
                }
            }
        }
        return kept;
    }

    /** Forgets every producer (the log was emptied). */
    void clear() {
        producers.clear();
    }

    private boolean read(Path file) {
        producers.clear();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            if (b.remaining() < SNAPSHOT_HEADER || b.getInt(0) != SNAPSHOT_VERSION
                    || b.getInt(4) != crc(b, 8, b.limit())) {
                return false;
            }
            b.position(8);
            int producerCount = b.getInt();
            for (int p = 0; p < producerCount; p++) {
                long producerId = b.getLong();
                ProducerEntry entry = new ProducerEntry(b.getShort());
                int batches = b.getInt();
                for (int n = 0; n < batches; n++) {
                    entry.add(b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getLong());
                }
                producers.put(producerId, entry);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (RuntimeException e) {
            producers.clear();
            return false;
        }
    }

    private static int crc(ByteBuffer b, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }
}
