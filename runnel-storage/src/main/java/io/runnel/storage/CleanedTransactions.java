package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

import io.runnel.storage.record.CompactedRecords;
import io.runnel.storage.record.TxnMarkers;

/**
 * What one pass of the cleaner knows of the transactions below its bound (the first uncleanable offset, at most the
 * last stable offset), as Kafka's cleaner tracks them: given the aborted transactions of the {@code .txnindex}, it
 * tells, batch by batch in offset order, which data belongs to an aborted transaction and which markers guard no data
 * any more (an abort marker whose transaction left no batch in this pass, a commit marker whose transaction left
 * none). An abort marker that still guards data keeps its entry in the cleaned segment's index. Markers at or past the
 * bound, and their index entries, are kept as they are.
 */
final class CleanedTransactions implements CompactedRecords.Transactions {
    private final long bound;
    /** Aborted transactions not yet reached, by first offset. */
    private final Queue<AbortedTxn> upcoming;
    /** The aborted transaction each producer is in at the current offset. */
    private final Map<Long, AbortedTxn> ongoingAborted = new HashMap<>();
    /** Producers whose ongoing aborted transaction still has a batch in the log. */
    private final Set<Long> abortedWithData = new HashSet<>();
    /** Producers in a transaction that is not aborted (committed, since the bound is at most the LSO). */
    private final Set<Long> ongoingCommitted = new HashSet<>();
    private TransactionIndex cleanedIndex;

    private CleanedTransactions(long bound, List<AbortedTxn> aborted) {
        this.bound = bound;
        this.upcoming = new ArrayDeque<>(aborted.stream().filter(txn -> txn.lastOffset() < bound)
                .sorted(Comparator.comparingLong(AbortedTxn::firstOffset)).toList());
    }

    /** The transactions of {@code log} from {@code fromOffset} up to {@code bound}. */
    static CleanedTransactions of(PartitionLog log, long fromOffset, long bound) {
        return new CleanedTransactions(bound, log.abortedTransactions(fromOffset, bound));
    }

    /** The index of the cleaned segment being written, where the entries of kept abort markers go. */
    void writeIndexTo(TransactionIndex index) {
        cleanedIndex = index;
    }

    /** Copies the entries of {@code source} that this pass does not decide on: markers at or past the bound. */
    void copyEntriesFromBound(TransactionIndex source) throws IOException {
        for (AbortedTxn txn : source.entries()) {
            if (txn.lastOffset() >= bound) {
                cleanedIndex.append(txn);
            }
        }
    }

    @Override
    public boolean aborted(long producerId, boolean transactional, long lastOffset) {
        reach(lastOffset);
        if (!transactional) {
            return false;
        }
        if (ongoingAborted.containsKey(producerId)) {
            abortedWithData.add(producerId);
            return true;
        }
        ongoingCommitted.add(producerId);
        return false;
    }

    @Override
    public boolean markerRemovable(long producerId, long offset, TxnMarkers.Marker marker) {
        if (offset >= bound) {
            return false;
        }
        reach(offset);
        if (marker == null) {
            return true;
        }
        if (marker.commit()) {
            return !ongoingCommitted.remove(producerId);
        }
        AbortedTxn txn = ongoingAborted.remove(producerId);
        if (txn != null && abortedWithData.remove(producerId)) {
            if (cleanedIndex != null) {
                try {
                    cleanedIndex.append(txn);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }
        return true;
    }

    private void reach(long offset) {
        while (!upcoming.isEmpty() && upcoming.peek().firstOffset() <= offset) {
            AbortedTxn txn = upcoming.remove();
            ongoingAborted.put(txn.producerId(), txn);
        }
    }
}
