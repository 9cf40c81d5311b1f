package io.runnel.broker.replica;

import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What every partition replica of a broker shares: the clock, replica.lag.time.max.ms, the broker's own epoch,
 * the channel for ISR changes, and the executor that completes parked produces (never the appending thread).
 */
record ReplicaContext(LongSupplier clock, long lagTimeMaxMs, LongSupplier brokerEpoch, IsrChangeSender isrChanges,
                      Executor delayedOperations) {

    long nowMs() {
        return clock.getAsLong();
    }

    long localBrokerEpoch() {
        return brokerEpoch.getAsLong();
    }
}
