package io.runnel.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waiting on a condition, the only way these tests wait for the broker. */
public final class Await {
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Await() {
    }

    public static void awaitCondition(Duration timeout, BooleanSupplier condition, String message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + timeout + ": " + message);
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
    }
}
