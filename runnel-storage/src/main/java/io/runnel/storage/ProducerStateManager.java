package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import io.runnel.storage.record.BatchHeader;
import io.runnel.storage.record.ProducedBatches;
import io.runnel.storage.record.TxnMarkers;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent and transactional producers of one partition: epoch and last batches per producer id, used to fence old
 * epochs, reject sequence gaps and answer retried batches with their original offsets; each producer's open
 * transaction and the coordinator epoch of its last marker, and the partition's {@link UnstableTransactions}. Guarded
 * by the log's lock. Snapshots are {@code <offset>.snapshot} files in our own CRC-checked binary format (version 2
 * adds the transaction fields; version 1 files still load).
 */
final class ProducerStateManager {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final int SNAPSHOT_VERSION = 2;
    private static final int SNAPSHOT_VERSION_WITHOUT_TRANSACTIONS = 1;
    private static final int SNAPSHOT_HEADER = 12;
    private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8;
    private static final int TRANSACTION_BYTES = 4 + 8;
    /** Transaction version 2 (KIP-890) markers carry an epoch the coordinator bumped for them. */
    private static final int FIRST_TRANSACTION_VERSION_WITH_EPOCH_BUMP = 2;

    /** The offsets a retried batch was first appended at, and its (possibly log append) timestamp. */
    record Duplicate(long firstOffset, long lastOffset, long timestamp) {
    }

    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** The guard of each producer whose transaction the coordinator is confirming before its first batch here. */
    private final Map<Long, VerificationGuard> verifications = new HashMap<>();
    private final UnstableTransactions transactions = new UnstableTransactions();

    UnstableTransactions transactions() {
        return transactions;
    }

    /**
     * Starts the check of the producer's transaction before its transactional batches of {@code epoch} here: the guard
     * their append must present, or {@link VerificationGuard#OPEN_TRANSACTION} when a transaction of the producer is
     * open here at that epoch already (a newer epoch is a new transaction: transaction protocol v2 bumps the epoch at
     * each end, and the previous transaction's marker may not be written yet).
     */
    VerificationGuard startVerification(long producerId, short epoch, long now) {
        ProducerEntry entry = producers.get(producerId);
        if (entry != null && entry.currentTxnFirstOffset >= 0 && entry.epoch == epoch) {
            return VerificationGuard.OPEN_TRANSACTION;
        }
        VerificationGuard guard = verifications.get(producerId);
        if (guard == null || guard.epoch() != epoch) {
            guard = new VerificationGuard(now, epoch);
            verifications.put(producerId, guard);
        }
        return guard;
    }

    /**
     * Checks the idempotent batches of one request in order, each as if the earlier ones were already appended.
     * Returns the first batch that repeats one already in the log, or null. A coordinator's batches carry no sequence:
     * only their epoch is checked. With a {@code guard} (null when not verified), a transactional batch that opens a
     * transaction must present the producer's current guard (INVALID_TXN_STATE otherwise).
     */
    Duplicate validate(ProducedBatches batches, boolean fromCoordinator, VerificationGuard guard, boolean verified) {
        for (int i = 0; i < batches.count(); i++) {
            long producerId = batches.producerId(i);
            if (producerId < 0) {
                continue;
            }
            short epoch = batches.producerEpoch(i);
            if (fromCoordinator) {
                checkCoordinatorEpoch(producerId, epoch);
                ProducerEntry entry = producers.get(producerId);
                boolean open = entry != null && entry.currentTxnFirstOffset >= 0;
                if (verified && !open && batches.isTransactional(i)) {
                    checkGuard(producerId, epoch, guard);
                }
                continue;
            }
            int firstSeq = batches.baseSequence(i);
            int previous = previousInRequest(batches, i, producerId);
            short currentEpoch;
            int currentLastSeq;
            boolean inTransaction;
            if (previous >= 0) {
                currentEpoch = batches.producerEpoch(previous);
                currentLastSeq = batches.lastSequence(previous);
                inTransaction = batches.isTransactional(previous);
            } else {
                ProducerEntry entry = producers.get(producerId);
                inTransaction = entry != null && entry.currentTxnFirstOffset >= 0;
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
            if (verified && !inTransaction && batches.isTransactional(i)) {
                checkGuard(producerId, epoch, guard);
            }
            if (inTransaction && !batches.isTransactional(i)) {
                throw new InvalidTxnStateException("Producer " + producerId + " sent a non-transactional batch while "
                        + "its transaction is open");
            }
        }
        return null;
    }

    /** A transactional batch opening a transaction here must present the producer's current guard. */
    private void checkGuard(long producerId, short epoch, VerificationGuard guard) {
        if (guard == null || verifications.get(producerId) != guard) {
            throw new InvalidTxnStateException("The transaction of producer " + producerId + " epoch " + epoch
                    + " was not confirmed to include this partition, or ended since");
        }
    }

    private void checkCoordinatorEpoch(long producerId, short epoch) {
        ProducerEntry entry = producers.get(producerId);
        if (entry != null) {
            checkEpoch(producerId, epoch, entry.epoch);
        }
    }

    private static void checkEpoch(long producerId, short epoch, short currentEpoch) {
        if (epoch < currentEpoch) {
            throw new InvalidProducerEpochException("Producer " + producerId + " epoch " + epoch
                    + " is older than the current epoch " + currentEpoch);
        }
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
        checkEpoch(producerId, epoch, currentEpoch);
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

    /** Records a data batch of the producer; a transactional one opens a transaction unless one is open. */
    void update(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset, long lastOffset,
                long timestamp, boolean transactional) {
        ProducerEntry entry = entry(producerId, epoch);
        entry.add(firstSeq, lastSeq, firstOffset, lastOffset, timestamp);
        if (transactional && entry.currentTxnFirstOffset < 0) {
            entry.currentTxnFirstOffset = firstOffset;
            transactions.begin(producerId, firstOffset);
            verifications.remove(producerId);
        }
    }

    /** A marker batch the cleaner emptied (its transaction is gone from the log): only its producer epoch counts. */
    void emptiedMarker(long producerId, short epoch) {
        entry(producerId, epoch);
    }

    private ProducerEntry entry(long producerId, short epoch) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerEntry(epoch);
            producers.put(producerId, entry);
        } else if (entry.epoch != epoch) {
            entry.bumpEpoch(epoch);
        }
        return entry;
    }

    /**
     * Checks a marker the coordinator asks the leader to write, as Kafka 4.4 does: an epoch older than the producer's
     * (for transaction version 2, not newer, unless it repeats the marker of a transaction already ended) is
     * INVALID_PRODUCER_EPOCH, a coordinator epoch older than the last marker's TRANSACTION_COORDINATOR_FENCED.
     */
    void checkMarker(long producerId, short epoch, int coordinatorEpoch, int transactionVersion) {
        boolean bumped = transactionVersion >= FIRST_TRANSACTION_VERSION_WITH_EPOCH_BUMP;
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            voidVerification(producerId, epoch, bumped);
            return;
        }
        boolean retriedMarker = bumped && epoch == entry.epoch && entry.currentTxnFirstOffset < 0;
        if ((bumped ? epoch <= entry.epoch : epoch < entry.epoch) && !retriedMarker) {
            throw new InvalidProducerEpochException("Marker of producer " + producerId + " has epoch " + epoch
                    + ", " + (bumped ? "not newer than" : "older than") + " the current epoch " + entry.epoch);
        }
        if (coordinatorEpoch < entry.coordinatorEpoch) {
            throw new TransactionCoordinatorFencedException("Marker of producer " + producerId + " has coordinator "
                    + "epoch " + coordinatorEpoch + ", older than " + entry.coordinatorEpoch);
        }
        voidVerification(producerId, epoch, bumped);
    }

    /**
     * A marker about to be written ends the check of batches of the transaction it ends: those of its epoch, or, when
     * it carries an epoch bumped past its transaction's batches, of older epochs only (the next transaction's batches
     * already have the marker's epoch).
     */
    private void voidVerification(long producerId, short markerEpoch, boolean bumped) {
        VerificationGuard guard = verifications.get(producerId);
        if (guard != null && (bumped ? guard.epoch() < markerEpoch : guard.epoch() <= markerEpoch)) {
            verifications.remove(producerId);
        }
    }

    /**
     * Ends the producer's open transaction with the marker at {@code markerOffset} (a producer without one only takes
     * the marker's epochs). Returns the aborted transaction for the {@code .txnindex}, or null if none was open or it
     * committed.
     */
    AbortedTxn endTransaction(long producerId, short epoch, TxnMarkers.Marker marker, long markerOffset,
                              long markerTimestamp) {
        ProducerEntry entry = entry(producerId, epoch);
        entry.coordinatorEpoch = marker.coordinatorEpoch();
        entry.lastTimestamp = Math.max(entry.lastTimestamp, markerTimestamp);
        long firstOffset = entry.currentTxnFirstOffset;
        if (firstOffset < 0) {
            return null;
        }
        entry.currentTxnFirstOffset = -1;
        long lastStableOffset = transactions.end(firstOffset, markerOffset);
        return marker.commit() ? null : new AbortedTxn(producerId, firstOffset, markerOffset, lastStableOffset);
    }

    /**
     * Forgets the producers without an open transaction whose last batch or marker is older than {@code cutoff}
     * (Kafka's {@code producer.id.expiration.ms}); a producer whose last timestamp is unknown is kept. Returns how
     * many were forgotten.
     */
    int expireProducers(long cutoff) {
        verifications.values().removeIf(guard -> guard.startedMs() < cutoff);
        int before = producers.size();
        producers.values().removeIf(e -> e.currentTxnFirstOffset < 0 && e.lastTimestamp >= 0 && e.lastTimestamp < cutoff);
        return before - producers.size();
    }

    /** Every producer with state here, as DescribeProducers shows it. */
    List<ActiveProducer> activeProducers() {
        List<ActiveProducer> active = new ArrayList<>(producers.size());
        producers.forEach((producerId, e) -> active.add(new ActiveProducer(producerId, e.epoch, e.lastSequence(),
                e.count() == 0 ? -1 : e.timestamp(e.count() - 1), e.coordinatorEpoch, e.currentTxnFirstOffset)));
        return active;
    }

    /** Each producer's last batch (a copy). */
    LastProducerBatches lastBatches() {
        Map<Long, Long> lastDataOffsets = new HashMap<>();
        Map<Long, Short> epochsWithoutData = new HashMap<>();
        producers.forEach((producerId, e) -> {
            if (e.count() > 0) {
                lastDataOffsets.put(producerId, e.lastOffset(e.count() - 1));
            } else {
                epochsWithoutData.put(producerId, e.epoch);
            }
        });
        return new LastProducerBatches(lastDataOffsets, epochsWithoutData);
    }

    /** The whole state, serialized (cheap, under the log's lock); written to disk by {@link #writeSnapshot}. */
    ByteBuffer snapshot() {
        int size = SNAPSHOT_HEADER;
        for (ProducerEntry e : producers.values()) {
            size += 8 + 2 + TRANSACTION_BYTES + 4 + e.count() * BATCH_BYTES;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(SNAPSHOT_VERSION).putInt(0).putInt(producers.size());
        producers.forEach((producerId, e) -> {
            b.putLong(producerId).putShort(e.epoch).putInt(e.coordinatorEpoch).putLong(e.currentTxnFirstOffset)
                    .putInt(e.count());
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
        clear();
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

    /** Forgets every producer and transaction (the log was emptied, or its state is reloaded). */
    void clear() {
        producers.clear();
        transactions.clear();
    }

    private boolean read(Path file) {
        clear();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            int version = b.remaining() < SNAPSHOT_HEADER ? -1 : b.getInt(0);
            if ((version != SNAPSHOT_VERSION && version != SNAPSHOT_VERSION_WITHOUT_TRANSACTIONS)
                    || b.getInt(4) != crc(b, 8, b.limit())) {
                return false;
            }
            b.position(8);
            int producerCount = b.getInt();
            for (int p = 0; p < producerCount; p++) {
                long producerId = b.getLong();
                ProducerEntry entry = new ProducerEntry(b.getShort());
                if (version == SNAPSHOT_VERSION) {
                    entry.coordinatorEpoch = b.getInt();
                    entry.currentTxnFirstOffset = b.getLong();
                }
                int batches = b.getInt();
                for (int n = 0; n < batches; n++) {
                    entry.add(b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getLong());
                }
                producers.put(producerId, entry);
                if (entry.currentTxnFirstOffset >= 0) {
                    transactions.begin(producerId, entry.currentTxnFirstOffset);
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (RuntimeException e) {
            clear();
            return false;
        }
    }

    private static int crc(ByteBuffer b, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }
}
