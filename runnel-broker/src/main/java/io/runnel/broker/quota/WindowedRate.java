package io.runnel.broker.quota;

import java.util.Arrays;

/**
 * A rate over the last {@code samples} windows of {@code sampleMs}, measured as Kafka's {@code Rate} measures a
 * quota: the sum of the live samples over the time they span, never less than {@code samples - 1} windows, so that
 * a client's first burst is spread over the whole window instead of throttled at once.
 */
final class WindowedRate {
    private final long sampleMs;
    private final double[] values;
    private final long[] starts;
    private int current;
    private long lastRecordMs;

    WindowedRate(int samples, long sampleMs, long nowMs) {
        this.sampleMs = sampleMs;
        this.values = new double[samples];
        this.starts = new long[samples];
        Arrays.fill(starts, Long.MIN_VALUE);
        starts[0] = nowMs;
        lastRecordMs = nowMs;
    }

    /** Adds {@code value} (negative to take back what was recorded) to the window as of {@code nowMs}. */
    synchronized void record(double value, long nowMs) {
        if (nowMs - starts[current] >= sampleMs) {
            current = (current + 1) % values.length;
            values[current] = 0;
            starts[current] = nowMs;
        }
        values[current] += value;
        lastRecordMs = nowMs;
    }

    /** Per second, as of {@code nowMs}. */
    synchronized double perSecond(long nowMs) {
        return sum(nowMs) * 1000.0 / windowMs(nowMs);
    }

    /** The time the live samples span as of {@code nowMs}, at least {@code samples - 1} windows. */
    synchronized long windowMs(long nowMs) {
        long oldest = nowMs;
        for (long start : starts) {
            if (live(start, nowMs)) {
                oldest = Math.min(oldest, start);
            }
        }
        return Math.max(nowMs - oldest, (values.length - 1) * sampleMs);
    }

    synchronized long lastRecordMs() {
        return lastRecordMs;
    }

    private double sum(long nowMs) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            if (live(starts[i], nowMs)) {
                sum += values[i];
            }
        }
        return sum;
    }

    private boolean live(long start, long nowMs) {
        return start != Long.MIN_VALUE && nowMs - start < values.length * sampleMs;
    }
}
