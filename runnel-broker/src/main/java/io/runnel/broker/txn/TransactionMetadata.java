package io.runnel.broker.txn;

import org.apache.kafka.common.TopicPartition;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the coordinator knows of one transactional id, as {@code __transaction_state} stores it, and the transitions
 * Kafka's coordinator makes (each returns the state to write; the shard applies it once committed).
 *
 * @param previousProducerId       the producer id before the last epoch exhaustion, -1 if none
 * @param lastProducerEpoch        the epoch before the last bump, -1 if none (not persisted)
 * @param startTimestamp           when the open transaction started, -1 when none was started
 * @param nextProducerId           the producer id a transaction ending with an exhausted epoch hands its producer
 *                                 (transaction protocol v2), -1 if none
 * @param clientTransactionVersion the {@link TransactionVersions} level the producer's transaction follows
 */
public record TransactionMetadata(String transactionalId, long producerId, long previousProducerId, short producerEpoch,
                                  short lastProducerEpoch, int timeoutMs, TransactionState state,
                                  Set<TopicPartition> partitions, long startTimestamp, long lastUpdateTimestamp,
                                  long nextProducerId, short clientTransactionVersion) {
    /** No producer epoch yet: the first bump makes it 0. */
    static final short NO_EPOCH = -1;
    static final long NO_PRODUCER_ID = -1;

    public TransactionMetadata {
        partitions = Set.copyOf(partitions);
    }

    /** A transactional id seen for the first time, before its first epoch bump. */
    static TransactionMetadata fresh(String transactionalId, long producerId, int timeoutMs, long now) {
        return new TransactionMetadata(transactionalId, producerId, NO_PRODUCER_ID, NO_EPOCH, NO_EPOCH, timeoutMs,
                TransactionState.EMPTY, Set.of(), -1, now, NO_PRODUCER_ID, (short) 0);
    }

    /**
     * Kafka bumps the producer id instead of the epoch before the epoch reaches its maximum, so that a fencing bump of
     * an open transaction always has room.
     */
    boolean isEpochExhausted() {
        return producerEpoch >= Short.MAX_VALUE - 1;
    }

    /**
     * Whether the producer id and epoch an InitProducerId names are this one's (the producer re-initializes) or the
     * ones just replaced (a retry of a bump that already happened; for an EndTxn of transaction protocol v2, a retry
     * of the end that bumped them).
     */
    boolean isCurrent(long producerId, short epoch) {
        return producerId == this.producerId && epoch == producerEpoch;
    }

    boolean isRetryOfLastBump(long producerId, short epoch) {
        return (producerId == this.producerId && lastProducerEpoch != NO_EPOCH && epoch == lastProducerEpoch)
                || (previousProducerId >= 0 && producerId == previousProducerId);
    }

    /** InitProducerId: the next epoch (or a new producer id once exhausted), a new timeout, no transaction. */
    TransactionMetadata bumpEpoch(long newProducerId, int newTimeoutMs, long now) {
        if (isEpochExhausted()) {
            return new TransactionMetadata(transactionalId, newProducerId, producerId, (short) 0, NO_EPOCH, newTimeoutMs,
                    TransactionState.EMPTY, Set.of(), -1, now, NO_PRODUCER_ID, (short) 0);
        }
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, (short) (producerEpoch + 1),
                producerEpoch, newTimeoutMs, TransactionState.EMPTY, Set.of(), -1, now, NO_PRODUCER_ID, (short) 0);
    }

    /**
     * AddPartitionsToTxn: the transaction is Ongoing with the partitions added; it starts now, of the given
     * transaction protocol, if it was not open.
     */
    TransactionMetadata addPartitions(Set<TopicPartition> added, long now, short transactionVersion) {
        Set<TopicPartition> all = new LinkedHashSet<>(partitions);
        all.addAll(added);
        boolean open = state == TransactionState.ONGOING;
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch,
                lastProducerEpoch, timeoutMs, TransactionState.ONGOING, all, open ? startTimestamp : now, now,
                nextProducerId, open ? clientTransactionVersion : transactionVersion);
    }

    /**
     * EndTxn: PrepareCommit or PrepareAbort, the outcome decided; markers follow. With transaction protocol v2 the
     * epoch is bumped, and once it is exhausted {@code newProducerId} is what the producer continues with.
     */
    TransactionMetadata prepareEnd(boolean commit, long now, boolean bumpEpoch, long newProducerId) {
        TransactionState preparing = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        // The markers say whether their epoch was bumped past the batches': the EndTxn decides, not how the
        // partitions were added.
        if (!bumpEpoch) {
            return new TransactionMetadata(transactionalId, producerId, previousProducerId, producerEpoch,
                    lastProducerEpoch, timeoutMs, preparing, partitions, startTimestamp, now, nextProducerId,
                    TransactionVersions.TV0);
        }
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, (short) (producerEpoch + 1),
                producerEpoch, timeoutMs, preparing, partitions, startTimestamp, now, newProducerId,
                TransactionVersions.TV2);
    }

    /** The producer id and epoch the producer continues with once this transaction ends. */
    ProducerEpoch producerAfterEnd() {
        return nextProducerId == NO_PRODUCER_ID ? new ProducerEpoch(producerId, producerEpoch)
                : new ProducerEpoch(nextProducerId, (short) 0);
    }

    /**
     * The abort of an open transaction whose producer is fenced (a new one initialized, or its timeout passed): the
     * epoch is bumped first, so the old producer can no longer write or end it.
     */
    TransactionMetadata fenceAndAbort(long now) {
        short bumped = producerEpoch < Short.MAX_VALUE ? (short) (producerEpoch + 1) : producerEpoch;
        return with(bumped, NO_EPOCH, TransactionState.PREPARE_ABORT, partitions, startTimestamp, now);
    }

    /**
     * Every marker is written: CompleteCommit or CompleteAbort, without partitions; the producer id moves on to the
     * next one if this end handed one out.
     */
    TransactionMetadata complete(long now) {
        TransactionState done = state == TransactionState.PREPARE_COMMIT
                ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        if (nextProducerId != NO_PRODUCER_ID) {
            return new TransactionMetadata(transactionalId, nextProducerId, producerId, (short) 0, NO_EPOCH, timeoutMs,
                    done, Set.of(), startTimestamp, now, NO_PRODUCER_ID, clientTransactionVersion);
        }
        return with(producerEpoch, lastProducerEpoch, done, Set.of(), startTimestamp, now);
    }

    /** The expiry of an idle transactional id: a tombstone is written. */
    TransactionMetadata dead(long now) {
        return with(producerEpoch, lastProducerEpoch, TransactionState.DEAD, Set.of(), startTimestamp, now);
    }

    private TransactionMetadata with(short epoch, short lastEpoch, TransactionState newState,
                                     Set<TopicPartition> newPartitions, long start, long now) {
        return new TransactionMetadata(transactionalId, producerId, previousProducerId, epoch, lastEpoch, timeoutMs,
                newState, newPartitions, start, now, nextProducerId, clientTransactionVersion);
    }
}
