package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;

import java.util.function.IntSupplier;

/**
 * Kafka's {@code kafka.server:type=DelayedOperationPurgatory,name=PurgatorySize|NumDelayedOperations,
 * delayedOperation=<Produce|Fetch>}: the operations parked in a purgatory and not yet complete, read in O(1) from its
 * timer. Kafka's PurgatorySize also counts completed operations its watch lists still hold; here both gauges give the
 * parked operations.
 */
public final class PurgatoryMetrics {
    private PurgatoryMetrics() {
    }

    public static void register(BrokerMetrics metrics, String delayedOperation, IntSupplier size) {
        for (String name : new String[] {"PurgatorySize", "NumDelayedOperations"}) {
            metrics.gauge(KafkaMetricName.of("kafka.server", "DelayedOperationPurgatory", name,
                    "delayedOperation", delayedOperation), (Gauge<Integer>) size::getAsInt);
        }
    }
}
