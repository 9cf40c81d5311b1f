package io.runnel.broker.replica;

import io.netty.util.Timeout;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fetch that found fewer than {@code fetch.min.bytes} and waits, parked on its partitions, until enough bytes
 * arrive (appended for a follower, committed for a consumer) or {@code fetch.max.wait.ms} passes. Completion runs
 * once, on the purgatory's executor, so a producer's thread never builds a fetcher's response.
 */
public final class DelayedFetch {
    private final long bytesNeeded;
    private final boolean fromFollower;
    private final AtomicLong bytesArrived = new AtomicLong();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final Executor executor;
    private final Runnable completion;
    private volatile Timeout timeout;

    DelayedFetch(long bytesNeeded, boolean fromFollower, Executor executor, Runnable completion) {
        this.bytesNeeded = bytesNeeded;
        this.fromFollower = fromFollower;
        this.executor = executor;
        this.completion = completion;
    }

    void setTimeout(Timeout timeout) {
        this.timeout = timeout;
    }

    boolean isCompleted() {
        return completed.get();
    }

    boolean fromFollower() {
        return fromFollower;
    }

    /** @return true once this fetch is complete and can leave the partition's waiters. */
    boolean onBytes(long bytes) {
        if (bytesArrived.addAndGet(bytes) >= bytesNeeded || bytes == Long.MAX_VALUE) {
            forceComplete();
            return true;
        }
        return false;
    }

    void forceComplete() {
        if (completed.compareAndSet(false, true)) {
            Timeout t = timeout;
            if (t != null) {
                t.cancel();
            }
            executor.execute(completion);
        }
    }
}
