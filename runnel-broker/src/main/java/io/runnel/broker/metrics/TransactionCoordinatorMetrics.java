package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import io.runnel.broker.txn.TransactionCoordinator;

import java.util.function.IntSupplier;

/**
 * Kafka's {@code kafka.server:type=transaction-coordinator-metrics}: partition-load-time-avg and -max, the replay of a
 * {@code __transaction_state} partition whose leadership arrives here, in milliseconds over the last minute; and
 * {@code kafka.coordinator.transaction:type=TransactionMarkerChannelManager} UnknownDestinationQueueSize (transactions
 * whose markers wait for a partition leader) and LogAppendRetryQueueSize (completions whose write is to be retried).
 */
public final class TransactionCoordinatorMetrics {
    private static final String DOMAIN = "kafka.coordinator.transaction";
    private static final String TYPE = "TransactionMarkerChannelManager";

    private TransactionCoordinatorMetrics() {
    }

    public static void register(BrokerMetrics metrics, TransactionCoordinator coordinator) {
        coordinator.timeLoads(metrics.kafkaMetrics("kafka.server:type=transaction-coordinator-metrics")
                .avgAndMaxMs("partition-load-time")::update);
    }

    public static void registerMarkerQueues(BrokerMetrics metrics, IntSupplier awaitingLeader,
                                            IntSupplier completionRetries) {
        gauge(metrics, "UnknownDestinationQueueSize", awaitingLeader);
        gauge(metrics, "LogAppendRetryQueueSize", completionRetries);
    }

    private static void gauge(BrokerMetrics metrics, String name, IntSupplier value) {
        metrics.gauge(KafkaMetricName.of(DOMAIN, TYPE, name), (Gauge<Integer>) value::getAsInt);
    }
}
