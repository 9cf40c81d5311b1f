package io.runnel.broker.replica;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ByteRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void bytesSentBeyondTheRateHoldBackUntilTheBucketRefills() {
        ByteRateLimiter limiter = new ByteRateLimiter(1000, nanos::get);
        assertFalse(limiter.exceeded(), "a new bucket holds one second's worth");
        limiter.record(3000);
        assertTrue(limiter.exceeded(), "a response is never split: the bucket goes below zero");
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertTrue(limiter.exceeded(), "one second refills 1000 of the 2000 bytes owed");
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1001));
        assertFalse(limiter.exceeded(), "three seconds for 3000 bytes at 1000 B/s");
    }

    @Test
    void theBucketHoldsAtMostOneSecondOfIdleTime() {
        ByteRateLimiter limiter = new ByteRateLimiter(1000, nanos::get);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
        limiter.record(1001);
        assertTrue(limiter.exceeded(), "idle time does not build up a burst beyond one second's worth");
    }

    @Test
    void noRateIsNoLimit() {
        ByteRateLimiter limiter = ByteRateLimiter.UNLIMITED;
        limiter.record(Long.MAX_VALUE / 2);
        assertFalse(limiter.exceeded());
    }
}
