package io.runnel.broker.txn;

import org.apache.kafka.common.TopicPartition;

import java.util.Set;

/**
 * The commit or abort markers of one transaction, for every partition it wrote to; {@code coordinatorEpoch} (the
 * leader epoch of the coordinator's {@code __transaction_state} partition) lets a partition refuse markers from a
 * coordinator that has since moved; {@code transactionVersion} 2 tells the partition the marker's epoch was bumped
 * past the transaction's batches (KIP-890).
 */
public record TransactionMarkers(String transactionalId, long producerId, short producerEpoch, boolean commit,
                                 int coordinatorEpoch, Set<TopicPartition> partitions, short transactionVersion) {
    public TransactionMarkers {
        partitions = Set.copyOf(partitions);
    }

    static TransactionMarkers of(TransactionMetadata txn, int coordinatorEpoch) {
        return new TransactionMarkers(txn.transactionalId(), txn.producerId(), txn.producerEpoch(),
                txn.state() == TransactionState.PREPARE_COMMIT, coordinatorEpoch, txn.partitions(),
                txn.clientTransactionVersion());
    }
}
