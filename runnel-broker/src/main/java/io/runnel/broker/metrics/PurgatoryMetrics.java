package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;

import java.util.function.IntSupplier;

/**
 * Kafka's {@code kafka.server:type=DelayedOperationPurgatory,name=PurgatorySize|NumDelayedOperations,
 * delayedOperation=<Produce|Fetch>}: the operations parked in a purgatory, read in O(1) from its timer. Runnel's
 * purgatories drop an operation from its partitions once it completes, so both gauges count the same operations.
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
