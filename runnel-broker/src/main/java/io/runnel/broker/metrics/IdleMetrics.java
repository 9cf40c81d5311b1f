package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;

import java.util.function.LongSupplier;

/**
 * Kafka's {@code kafka.network:type=SocketServer,name=NetworkProcessorAvgIdlePercent} and
 * {@code kafka.server:type=KafkaRequestHandlerPool,name=RequestHandlerAvgIdlePercent}: the share of time, between 0 and
 * 1 as in Kafka, the broker's network threads (its Netty event loops) spent waiting for I/O, averaged over the loops.
 * Runnel has no separate request handler threads (each connection's event loop runs its requests' handlers), so both
 * report the same loops; Kafka's RequestHandlerAvgIdlePercent is a meter, here it is a gauge (its {@code Value}, not
 * {@code OneMinuteRate}; the JMX exporter's Kafka rules name both the same). A read covers the time since the read
 * before it, at least a second earlier, so frequent readers see the same value.
 */
public final class IdleMetrics {
    private static final long MIN_WINDOW_NANOS = 1_000_000_000L;

    private final LongSupplier idleNanos;
    private final int loops;
    private long lastIdleNanos;
    private long lastReadNanos;
    private double lastRatio = Double.NaN;

    /** @param idleNanos the total nanoseconds the {@code loops} event loops have waited for I/O since they started */
    public IdleMetrics(BrokerMetrics metrics, LongSupplier idleNanos, int loops) {
        this.idleNanos = idleNanos;
        this.loops = loops;
        this.lastReadNanos = System.nanoTime();
        metrics.gauge(KafkaMetricName.of("kafka.network", "SocketServer", "NetworkProcessorAvgIdlePercent"),
                (Gauge<Double>) this::ratio);
        metrics.gauge(KafkaMetricName.of("kafka.server", "KafkaRequestHandlerPool", "RequestHandlerAvgIdlePercent"),
                (Gauge<Double>) this::ratio);
    }

    private synchronized double ratio() {
        long now = System.nanoTime();
        if (now - lastReadNanos >= MIN_WINDOW_NANOS || Double.isNaN(lastRatio)) {
            long idle = idleNanos.getAsLong();
            double window = (double) loops * Math.max(1, now - lastReadNanos);
            lastRatio = Math.min(1.0, Math.max(0.0, (idle - lastIdleNanos) / window));
            lastIdleNanos = idle;
            lastReadNanos = now;
        }
        return lastRatio;
    }
}
