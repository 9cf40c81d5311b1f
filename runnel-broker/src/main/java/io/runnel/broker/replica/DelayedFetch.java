package io.runnel.broker.replica;

import io.netty.util.Timeout;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fetch that found fewer than {@code fetch.min.bytes} and waits, parked on its partitions, until
 * enough bytes are appended to them or {@code fetch.max.wait.ms} passes. Completion runs once, on
 * the executor of the fetching connection, so a producer's thread never builds a consumer's response.
 */
public final class DelayedFetch {
    private final long bytesNeeded;
    private final AtomicLong bytesAppended = new AtomicLong();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final Runnable completion;
    private volatile Timeout timeout;

    DelayedFetch(long bytesNeeded, Runnable completion) {
        this.bytesNeeded = bytesNeeded;
        this.completion = completion;
    }

    void setTimeout(Timeout timeout) {
        this.timeout = timeout;
    }

    boolean isCompleted() {
        return completed.get();
    }

    /** @return true once this fetch is complete and can leave the partition's waiters. */
    boolean onAppend(int bytes) {
        if (bytesAppended.addAndGet(bytes) >= bytesNeeded) {
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
            completion.run();
        }
    }
}
