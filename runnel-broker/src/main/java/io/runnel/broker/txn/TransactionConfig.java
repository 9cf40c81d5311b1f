package io.runnel.broker.txn;

import io.runnel.broker.config.BrokerConfig;

/** The broker settings the transaction coordinator obeys, under Kafka's names. */
public record TransactionConfig(int stateLogPartitions, short stateLogReplicationFactor, int stateLogMinIsr,
                                int stateLogSegmentBytes, int maxTimeoutMs, long idExpirationMs,
                                long abortTimedOutIntervalMs, long removeExpiredIntervalMs) {

    public static TransactionConfig from(BrokerConfig config) {
        return new TransactionConfig(
                Integer.parseInt(config.get("transaction.state.log.num.partitions")),
                Short.parseShort(config.get("transaction.state.log.replication.factor")),
                Integer.parseInt(config.get("transaction.state.log.min.isr")),
                Integer.parseInt(config.get("transaction.state.log.segment.bytes")),
                Integer.parseInt(config.get("transaction.max.timeout.ms")),
                Long.parseLong(config.get("transactional.id.expiration.ms")),
                Long.parseLong(config.get("transaction.abort.timed.out.transaction.cleanup.interval.ms")),
                Long.parseLong(config.get("transaction.remove.expired.transaction.cleanup.interval.ms")));
    }
}
