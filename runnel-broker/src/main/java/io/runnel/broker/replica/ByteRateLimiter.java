package io.runnel.broker.replica;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket of bytes: refilled at {@code bytesPerSecond}, holding at most one second's worth, spent by what
 * was sent, possibly below zero (a response is never split). Sending waits while the bucket is empty, so the
 * average rate stays at the limit. Long.MAX_VALUE bytes per second is no limit.
 */
final class ByteRateLimiter {
    static final ByteRateLimiter UNLIMITED = new ByteRateLimiter(Long.MAX_VALUE, System::nanoTime);

    private final long bytesPerSecond;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAtNanos;

    ByteRateLimiter(long bytesPerSecond, LongSupplier nanoClock) {
        this.bytesPerSecond = bytesPerSecond;
        this.nanoClock = nanoClock;
        this.tokens = bytesPerSecond;
        this.refilledAtNanos = nanoClock.getAsLong();
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Whether the bytes sent so far used up the rate: throttled replication waits. */
    synchronized boolean exceeded() {
        if (bytesPerSecond == Long.MAX_VALUE) {
            return false;
        }
        refill();
        return tokens <= 0;
    }

    synchronized void record(long bytes) {
        if (bytesPerSecond != Long.MAX_VALUE) {
            refill();
            tokens -= bytes;
        }
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(bytesPerSecond, tokens + (now - refilledAtNanos) * (double) bytesPerSecond
                / TimeUnit.SECONDS.toNanos(1));
        refilledAtNanos = now;
    }
}
