package io.runnel.broker.replica;

import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Parks delayed fetches on their partitions with a timer-wheel timeout; never blocks a caller. */
public final class FetchPurgatory implements AutoCloseable {
    private final HashedWheelTimer timer =
            new HashedWheelTimer(new DefaultThreadFactory("runnel-fetch-purgatory", true), 5, TimeUnit.MILLISECONDS, 512);

    /**
     * Parks a fetch that needs {@code bytesNeeded} more bytes; {@code completion} runs once
     * when they arrive on any of the partitions, after {@code maxWaitMs}, or when a partition goes away.
     * {@code appendedSinceRead} closes the race with an append that landed between the read and the parking.
     */
    public void park(List<Partition> partitions, long bytesNeeded, long maxWaitMs,
                     BooleanSupplier appendedSinceRead, Runnable completion) {
        DelayedFetch fetch = new DelayedFetch(bytesNeeded, completion);
        fetch.setTimeout(timer.newTimeout(t -> fetch.forceComplete(), maxWaitMs, TimeUnit.MILLISECONDS));
        for (Partition partition : partitions) {
            partition.addWaiter(fetch);
        }
        if (appendedSinceRead.getAsBoolean()) {
            fetch.forceComplete();
        }
    }

    @Override
    public void close() {
        timer.stop();
    }
}
