package io.runnel.broker.replica;

import io.runnel.broker.metrics.BrokerTopicMetrics;
import io.runnel.broker.metrics.ReplicaManagerMetrics;

import java.util.concurrent.Executor;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * What every partition replica of a broker shares: the clock, replica.lag.time.max.ms, the broker's own epoch,
 * which brokers are eligible for an ISR, the channel for ISR changes, and the executor that completes parked
 * produces (never the appending thread).
 *
 * <p>ISR eligibility is Kafka's: a broker registered and unfenced in the newest metadata. Only an eligible follower
 * outside the ISR holds the high watermark back while it is caught up, or is proposed for the ISR; a fenced broker
 * (dead, or silent past broker.session.timeout.ms) never does, so acks=all does not wait replica.lag.time.max.ms for
 * a broker the controller already removed from the ISR.
 *
 * <p>The metrics are the ISR change meters and, for what followers append, the replication bytes in.
 */
record ReplicaContext(LongSupplier clock, long lagTimeMaxMs, LongSupplier brokerEpoch, IntPredicate isrEligible,
                      IsrChangeSender isrChanges, Executor delayedOperations, ReplicaManagerMetrics replicaMetrics,
                      BrokerTopicMetrics topicMetrics) {

    long nowMs() {
        return clock.getAsLong();
    }

    boolean isrEligible(int brokerId) {
        return isrEligible.test(brokerId);
    }

    long localBrokerEpoch() {
        return brokerEpoch.getAsLong();
    }
}
