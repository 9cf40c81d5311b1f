package io.runnel.broker.metrics;

import io.runnel.broker.txn.TransactionCoordinator;

/**
 * Kafka's {@code kafka.server:type=transaction-coordinator-metrics}: partition-load-time-avg and -max, the replay of a
 * {@code __transaction_state} partition whose leadership arrives here, in milliseconds over the last minute.
 */
public final class TransactionCoordinatorMetrics {
    private TransactionCoordinatorMetrics() {
    }

    public static void register(BrokerMetrics metrics, TransactionCoordinator coordinator) {
        coordinator.timeLoads(metrics.kafkaMetrics("kafka.server:type=transaction-coordinator-metrics")
                .avgAndMaxMs("partition-load-time")::update);
    }
}
