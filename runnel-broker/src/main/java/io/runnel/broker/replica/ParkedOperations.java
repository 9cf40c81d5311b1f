package io.runnel.broker.replica;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * The fetches and produces parked on one partition. A follower's fetch wakes on appended bytes; a consumer's on
 * bytes that became committed (below the high watermark), counted from the appends' end offsets; a produce is
 * rechecked when the high watermark or the ISR moves. Produce checks run on the delayed-operations executor.
 */
final class ParkedOperations {
    /** Waiters are purged of completed fetches when their count passes this, so idle partitions don't accumulate them. */
    private static final int PURGE_THRESHOLD = 64;
    /** Appends not yet committed that are remembered one by one; older ones merge into the last. */
    private static final int MAX_APPEND_MARKS = 1024;

    private final Executor executor;
    private final ConcurrentLinkedQueue<DelayedFetch> fetches = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<DelayedProduce> produces = new ConcurrentLinkedQueue<>();
    /** (end offset, bytes) of each append above the high watermark. */
    private final ArrayDeque<long[]> uncommittedAppends = new ArrayDeque<>();

    ParkedOperations(Executor executor) {
        this.executor = executor;
    }

    void addFetch(DelayedFetch fetch) {
        if (fetches.size() > PURGE_THRESHOLD) {
            fetches.removeIf(DelayedFetch::isCompleted);
        }
        fetches.add(fetch);
    }

    void addProduce(DelayedProduce produce) {
        produces.add(produce);
        checkProduces();
    }

    void onAppend(int bytes, long endOffset) {
        synchronized (uncommittedAppends) {
            long[] last = uncommittedAppends.peekLast();
            if (last != null && uncommittedAppends.size() >= MAX_APPEND_MARKS) {
                last[0] = endOffset;
                last[1] += bytes;
            } else {
                uncommittedAppends.addLast(new long[] {endOffset, bytes});
            }
        }
        notifyFetches(bytes, true);
    }

    void onHighWatermark(long highWatermark) {
        long committed = 0;
        synchronized (uncommittedAppends) {
            for (long[] mark; (mark = uncommittedAppends.peekFirst()) != null && mark[0] <= highWatermark; ) {
                committed += uncommittedAppends.pollFirst()[1];
            }
        }
        notifyFetches(committed, false);
        checkProduces();
    }

    private void notifyFetches(long bytes, boolean append) {
        if (!fetches.isEmpty()) {
            fetches.removeIf(fetch -> fetch.isCompleted() || wakes(fetch, bytes, append));
        }
    }

    /**
     * On an append a follower's fetch counts its bytes; on a high watermark move a consumer's fetch counts the
     * committed bytes, and a follower's fetch completes so that the follower learns the new high watermark.
     */
    private static boolean wakes(DelayedFetch fetch, long bytes, boolean append) {
        if (fetch.fromFollower()) {
            return fetch.onBytes(append ? bytes : Long.MAX_VALUE);
        }
        return !append && fetch.onBytes(bytes);
    }

    void checkProduces() {
        if (!produces.isEmpty()) {
            executor.execute(() -> produces.removeIf(DelayedProduce::tryComplete));
        }
    }

    void wakeAll() {
        for (DelayedFetch fetch; (fetch = fetches.poll()) != null; ) {
            fetch.forceComplete();
        }
        checkProduces();
    }
}
