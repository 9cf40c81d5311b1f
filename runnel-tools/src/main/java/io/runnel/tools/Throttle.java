package io.runnel.tools;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Paces a sending loop to about {@code perSecond} sends per second, as the {@code --throughput} option of Kafka's
 * producer tools: a negative rate means no limit, zero means send nothing until stopped.
 */
final class Throttle {
    private final double perSecond;
    private final long startNanos = System.nanoTime();

    Throttle(double perSecond) {
        this.perSecond = perSecond;
    }

    /** Waits until send number {@code sent} (0-based) is due, or until {@code stopped} is true. */
    void awaitTurn(long sent, BooleanSupplier stopped) throws InterruptedException {
        if (perSecond < 0) {
            return;
        }
        while (!stopped.getAsBoolean()) {
            long waitNanos = perSecond == 0 ? TimeUnit.MILLISECONDS.toNanos(100)
                    : startNanos + (long) (sent * 1e9 / perSecond) - System.nanoTime();
            if (waitNanos <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }
}
