package io.runnel.broker.replica;

import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Parks delayed fetches on their partitions with a timer-wheel timeout; never blocks a caller. Completions (which
 * read the logs again) run on the purgatory's own thread.
 */
public final class FetchPurgatory implements AutoCloseable {
    private final HashedWheelTimer timer =
            new HashedWheelTimer(new DefaultThreadFactory("runnel-fetch-purgatory", true), 5, TimeUnit.MILLISECONDS, 512);
    private final ExecutorService completions =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("runnel-fetch-completion", true));

    /**
     * Parks a fetch that needs {@code bytesNeeded} more bytes; {@code completion} runs once when they arrive on
     * any of the partitions (appended ones for a follower's fetch, committed ones for a consumer's), after
     * {@code maxWaitMs}, or when a partition goes away. {@code arrivedSinceRead} closes the race with data that
     * arrived between the read and the parking.
     */
    public void park(List<Partition> partitions, boolean fromFollower, long bytesNeeded, long maxWaitMs,
                     BooleanSupplier arrivedSinceRead, Runnable completion) {
        DelayedFetch fetch = new DelayedFetch(bytesNeeded, fromFollower, completions, completion);
        fetch.setTimeout(timer.newTimeout(t -> fetch.forceComplete(), maxWaitMs, TimeUnit.MILLISECONDS));
        for (Partition partition : partitions) {
            partition.parked().addFetch(fetch);
        }
        if (arrivedSinceRead.getAsBoolean()) {
            fetch.forceComplete();
        }
    }

    /**
     * The fetches parked now, as the timer counts their pending timeouts (Kafka's purgatory size is its timer's too): O(1),
     * and a completed one leaves the count at the timer's next tick, when its cancelled timeout goes.
     */
    public int size() {
        return (int) timer.pendingTimeouts();
    }

    @Override
    public void close() {
        timer.stop();
        completions.shutdownNow();
    }
}
