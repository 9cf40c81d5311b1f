package io.runnel.broker.txn;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ConcurrentTransactionsException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Kafka's transaction state machine (transaction protocols v1 and v2) over the shards of a {@link TransactionCoordinator}:
 * InitProducerId bumps the epoch (a new producer id once it is exhausted) and fences the previous producer, aborting
 * its open transaction first; AddPartitionsToTxn opens the transaction; EndTxn writes PrepareCommit / PrepareAbort,
 * is answered, and the markers follow, then CompleteCommit / CompleteAbort. Transactions older than their timeout are
 * aborted with a bumped epoch; idle transactional ids expire. Each request is answered once its write is committed.
 */
public final class TransactionStateMachine {
    private static final Logger log = LoggerFactory.getLogger(TransactionStateMachine.class);
    /** Wait before writing CompleteCommit / CompleteAbort again after a failed write. */
    private static final long COMPLETE_RETRY_MS = 1_000;
    /** How long an AddPartitionsToTxn waits for a concurrent change of its transaction before it is refused. */
    private static final long CONCURRENT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final TransactionCoordinator coordinator;
    private final Supplier<CompletableFuture<Long>> producerIds;
    private final MarkerSender markers;
    /** CompleteCommit / CompleteAbort writes that failed and wait to be tried again. */
    private final AtomicInteger completionRetries = new AtomicInteger();

    /**
     * @param producerIds a new producer id per call ({@code ProducerIdManager::nextId})
     */
    public TransactionStateMachine(TransactionCoordinator coordinator, Supplier<CompletableFuture<Long>> producerIds,
                                   MarkerSender markers) {
        this.coordinator = coordinator;
        this.producerIds = producerIds;
        this.markers = markers;
        coordinator.onShardLoaded(this::resumeMarkers);
    }

    /** The completion writes waiting to be retried (Kafka's LogAppendRetryQueueSize). */
    public int completionRetryCount() {
        return completionRetries.get();
    }

    /** Starts the periodic abort of timed-out transactions and the expiry of idle transactional ids. */
    public void startPeriodicChecks() {
        TransactionConfig config = coordinator.config();
        coordinator.schedulePeriodic(() -> abortTimedOut(System.currentTimeMillis()), config.abortTimedOutIntervalMs());
        coordinator.schedulePeriodic(() -> expireTransactionalIds(System.currentTimeMillis()),
                config.removeExpiredIntervalMs());
    }

    /**
     * InitProducerId with a transactional id. {@code expectedProducerId} / {@code expectedEpoch} (-1 when absent) are
     * what a producer that re-initializes (KIP-360) had.
     */
    public CompletableFuture<ProducerEpoch> initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
                                                           short expectedEpoch) {
        if (transactionalId.isEmpty()) {
            return CompletableFuture.failedFuture(new InvalidRequestException("The transactional id is empty"));
        }
        int maxTimeoutMs = coordinator.config().maxTimeoutMs();
        if (timeoutMs <= 0 || timeoutMs > maxTimeoutMs) {
            return CompletableFuture.failedFuture(new InvalidTxnTimeoutException("transaction.timeout.ms " + timeoutMs
                    + " is not within 1 and transaction.max.timeout.ms (" + maxTimeoutMs + ")"));
        }
        return init(transactionalId, timeoutMs, expectedProducerId, expectedEpoch, -1);
    }

    private CompletableFuture<ProducerEpoch> init(String id, int timeoutMs, long expectedProducerId, short expectedEpoch,
                                                  long newProducerId) {
        try {
            TransactionShard shard = coordinator.shardFor(id);
            synchronized (shard) {
                checkNoPendingTransition(shard, id);
                TransactionMetadata txn = shard.get(id);
                long now = System.currentTimeMillis();
                boolean expected = txn != null && expectedProducerId >= 0;
                if (expected && !txn.isCurrent(expectedProducerId, expectedEpoch)
                        && !txn.isRetryOfLastBump(expectedProducerId, expectedEpoch)) {
                    throw new ProducerFencedException("Producer " + expectedProducerId + " epoch " + expectedEpoch
                            + " of " + id + " is fenced by epoch " + txn.producerEpoch() + " of producer " + txn.producerId());
                }
                if (txn != null && txn.state().isPreparing()) {
                    throw concurrent(id, txn);
                }
                if (txn != null && txn.state() == TransactionState.ONGOING) {
                    prepare(shard, txn.fenceAndAbort(now));
                    throw concurrent(id, txn);
                }
                if (expected && !txn.isCurrent(expectedProducerId, expectedEpoch)) {
                    ProducerEpoch current = new ProducerEpoch(txn.producerId(), txn.producerEpoch());
                    return shard.whenCommitted().thenApply(done -> current);
                }
                if ((txn == null || txn.isEpochExhausted()) && newProducerId < 0) {
                    return nextProducerId().thenCompose(producerId ->
                            init(id, timeoutMs, expectedProducerId, expectedEpoch, producerId));
                }
                TransactionMetadata base = txn != null ? txn : TransactionMetadata.fresh(id, newProducerId, timeoutMs, now);
                TransactionMetadata next = base.bumpEpoch(newProducerId, timeoutMs, now);
                return shard.write(next).thenApply(done -> new ProducerEpoch(next.producerId(), next.producerEpoch()));
            }
        } catch (ApiException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * AddPartitionsToTxn (and AddOffsetsToTxn, and a partition leader adding a partition for transaction protocol v2):
     * the transaction is Ongoing with these partitions once committed; one it opens is of {@code transactionVersion}.
     */
    public CompletableFuture<Void> addPartitions(String transactionalId, long producerId, short epoch,
                                                 Set<TopicPartition> partitions, short transactionVersion) {
        return addPartitions(transactionalId, producerId, epoch, partitions, transactionVersion,
                System.nanoTime() + CONCURRENT_WAIT_NANOS);
    }

    /**
     * While the id's previous transaction is still ending (its markers being written) or another change of it is in
     * flight, the add waits for that change until {@code deadlineNanos} rather than answering CONCURRENT_TRANSACTIONS
     * at once: a producer of transaction protocol v2 starts its next transaction as soon as EndTxn is answered, and
     * its first produce would otherwise wait out a retry backoff for markers that take a few milliseconds.
     */
    private CompletableFuture<Void> addPartitions(String transactionalId, long producerId, short epoch,
                                                  Set<TopicPartition> partitions, short transactionVersion,
                                                  long deadlineNanos) {
        try {
            TransactionShard shard = coordinator.shardFor(transactionalId);
            synchronized (shard) {
                try {
                    TransactionMetadata txn = checkProducer(shard, transactionalId, producerId, epoch);
                    if (txn.state().isPreparing()) {
                        throw concurrent(transactionalId, txn);
                    }
                    if (txn.state() == TransactionState.ONGOING && txn.partitions().containsAll(partitions)) {
                        return shard.whenCommitted();
                    }
                    return shard.write(txn.addPartitions(partitions, System.currentTimeMillis(), transactionVersion));
                } catch (ConcurrentTransactionsException e) {
                    long leftNanos = deadlineNanos - System.nanoTime();
                    if (leftNanos <= 0) {
                        throw e;
                    }
                    return shard.nextChange(transactionalId).orTimeout(leftNanos, TimeUnit.NANOSECONDS)
                            .handle((changed, timedOut) -> timedOut)
                            .thenCompose(timedOut -> timedOut != null ? CompletableFuture.<Void>failedFuture(e)
                                    : addPartitions(transactionalId, producerId, epoch, partitions,
                                    transactionVersion, deadlineNanos));
                }
            }
        } catch (ApiException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * AddPartitionsToTxn v4+ with verify_only (a partition leader checking a transactional produce): each partition is
     * NONE if the open transaction has it, else INVALID_TXN_STATE. Throws the error of the whole transaction.
     */
    public Map<TopicPartition, Errors> verifyPartitions(String transactionalId, long producerId, short epoch,
                                                       Set<TopicPartition> partitions) {
        TransactionShard shard = coordinator.shardFor(transactionalId);
        synchronized (shard) {
            TransactionMetadata txn = checkProducer(shard, transactionalId, producerId, epoch);
            if (txn.state().isPreparing()) {
                throw concurrent(transactionalId, txn);
            }
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            boolean ongoing = txn.state() == TransactionState.ONGOING;
            partitions.forEach(tp -> errors.put(tp,
                    ongoing && txn.partitions().contains(tp) ? Errors.NONE : Errors.INVALID_TXN_STATE));
            return errors;
        }
    }

    /**
     * EndTxn: answered once PrepareCommit / PrepareAbort is committed; the markers and Complete* follow. Returns the
     * producer id and epoch the producer continues with: with transaction protocol v2 ({@code bumpEpoch}, EndTxn v5+)
     * the end bumps the epoch (a new producer id once it is exhausted), an abort with no transaction open bumps it too
     * (the producer's batches may have reached no partition), and a retry naming the epoch before the bump is answered
     * as the end it repeats.
     */
    public CompletableFuture<ProducerEpoch> endTransaction(String transactionalId, long producerId, short epoch,
                                                           boolean commit, boolean bumpEpoch) {
        return endTransaction(transactionalId, producerId, epoch, commit, bumpEpoch, TransactionMetadata.NO_PRODUCER_ID);
    }

    private CompletableFuture<ProducerEpoch> endTransaction(String transactionalId, long producerId, short epoch,
                                                            boolean commit, boolean bumpEpoch, long newProducerId) {
        try {
            TransactionShard shard = coordinator.shardFor(transactionalId);
            synchronized (shard) {
                TransactionMetadata current = shard.get(transactionalId);
                TransactionState sameOutcome = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
                TransactionState samePreparing = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
                if (bumpEpoch && current != null && isEnding(current.state())
                        && current.isRetryOfLastBump(producerId, epoch)) {
                    checkNoPendingTransition(shard, transactionalId);
                    return retriedEnd(shard, transactionalId, current, sameOutcome, samePreparing, commit);
                }
                TransactionMetadata txn = checkProducer(shard, transactionalId, producerId, epoch);
                TransactionState state = txn.state();
                boolean open = state == TransactionState.ONGOING;
                if (open || (bumpEpoch && !commit && state.isIdle())) {
                    if (bumpEpoch && txn.isEpochExhausted() && newProducerId == TransactionMetadata.NO_PRODUCER_ID) {
                        return nextProducerId().thenCompose(next ->
                                endTransaction(transactionalId, producerId, epoch, commit, true, next));
                    }
                    TransactionMetadata preparing = txn.prepareEnd(commit, System.currentTimeMillis(), bumpEpoch,
                            newProducerId);
                    return prepare(shard, preparing).thenApply(done -> preparing.producerAfterEnd());
                }
                if (bumpEpoch && !state.isPreparing()) {
                    // A retry would name the epoch before the end's bump: this is a commit of nothing.
                    throw new InvalidTxnStateException("Cannot commit transaction " + transactionalId + " in state "
                            + state.displayName());
                }
                return retriedEnd(shard, transactionalId, txn, sameOutcome, samePreparing, commit);
            }
        } catch (ApiException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** An EndTxn of a transaction already ending: the same outcome again is answered once it is complete. */
    private static CompletableFuture<ProducerEpoch> retriedEnd(TransactionShard shard, String transactionalId,
                                                               TransactionMetadata txn, TransactionState sameOutcome,
                                                               TransactionState samePreparing, boolean commit) {
        TransactionState state = txn.state();
        if (state == sameOutcome) {
            ProducerEpoch after = new ProducerEpoch(txn.producerId(), txn.producerEpoch());
            return shard.whenCommitted().thenApply(done -> after);
        }
        if (state == samePreparing) {
            throw concurrent(transactionalId, txn);
        }
        throw new InvalidTxnStateException("Cannot " + (commit ? "commit" : "abort") + " transaction "
                + transactionalId + " in state " + state.displayName());
    }

    private static boolean isEnding(TransactionState state) {
        return state.isPreparing() || state == TransactionState.COMPLETE_COMMIT
                || state == TransactionState.COMPLETE_ABORT;
    }

    /** A new producer id, or the retriable error Kafka's broker answers while it has no block of ids. */
    private CompletableFuture<Long> nextProducerId() {
        return producerIds.get().handle((producerId, error) -> {
            if (error != null) {
                throw new CoordinatorLoadInProgressException("No producer id available yet: " + error);
            }
            return producerId;
        });
    }

    /** Aborts every open transaction older than its timeout, bumping the epoch so its producer is fenced. */
    void abortTimedOut(long now) {
        for (TransactionShard shard : coordinator.shards()) {
            synchronized (shard) {
                if (!shard.isLoaded() || shard.isUnloaded()) {
                    continue;
                }
                for (TransactionMetadata txn : shard.transactions()) {
                    if (txn.state() == TransactionState.ONGOING && !shard.hasPendingTransition(txn.transactionalId())
                            && txn.startTimestamp() + txn.timeoutMs() < now) {
                        log.info("Aborting transaction {} of producer {} epoch {}: open for longer than its timeout of {} ms",
                                txn.transactionalId(), txn.producerId(), txn.producerEpoch(), txn.timeoutMs());
                        prepare(shard, txn.fenceAndAbort(now));
                    }
                }
            }
        }
    }

    /** Forgets transactional ids without a transaction for transactional.id.expiration.ms (a tombstone each). */
    void expireTransactionalIds(long now) {
        long expirationMs = coordinator.config().idExpirationMs();
        for (TransactionShard shard : coordinator.shards()) {
            synchronized (shard) {
                if (!shard.isLoaded() || shard.isUnloaded()) {
                    continue;
                }
                for (TransactionMetadata txn : shard.transactions()) {
                    String id = txn.transactionalId();
                    if (txn.state().isIdle() && !shard.hasPendingTransition(id)
                            && txn.lastUpdateTimestamp() + expirationMs <= now) {
                        shard.write(txn.dead(now)).whenComplete((done, error) -> {
                            if (error != null) {
                                log.warn("Cannot expire transactional id {}: {}", id, error.getMessage());
                            }
                        });
                    }
                }
            }
        }
    }

    /** A shard just loaded: transactions whose outcome was decided get their markers (again). */
    private void resumeMarkers(TransactionShard shard) {
        synchronized (shard) {
            if (shard.isUnloaded()) {
                return;
            }
            shard.transactions().stream().filter(txn -> txn.state().isPreparing())
                    .forEach(txn -> sendMarkers(shard, txn));
        }
    }

    /** Writes PrepareCommit / PrepareAbort; once it is committed the markers go out. */
    private CompletableFuture<Void> prepare(TransactionShard shard, TransactionMetadata preparing) {
        CompletableFuture<Void> written = shard.write(preparing);
        written.whenComplete((done, error) -> {
            if (error == null) {
                sendMarkers(shard, preparing);
            } else {
                log.warn("Cannot write {} of transaction {}: {}", preparing.state().displayName(),
                        preparing.transactionalId(), error.getMessage());
            }
        });
        return written;
    }

    private void sendMarkers(TransactionShard shard, TransactionMetadata prepared) {
        CompletableFuture<Void> sending = markers.send(TransactionMarkers.of(prepared, shard.coordinatorEpoch()));
        shard.trackMarkers(prepared.transactionalId(), sending);
        sending.whenComplete((done, error) -> {
            if (error == null) {
                complete(shard, prepared);
            } else if (!(error instanceof CancellationException)) {
                log.warn("Markers of transaction {} stopped: {}", prepared.transactionalId(), error.getMessage());
            }
        });
    }

    /** Every marker is written: CompleteCommit / CompleteAbort, retried until written or the shard is gone. */
    private void complete(TransactionShard shard, TransactionMetadata prepared) {
        String id = prepared.transactionalId();
        synchronized (shard) {
            if (shard.isUnloaded() || !prepared.equals(shard.get(id)) || shard.hasPendingTransition(id)) {
                return;
            }
            shard.write(prepared.complete(System.currentTimeMillis())).whenComplete((done, error) -> {
                if (error != null && !(error instanceof NotCoordinatorException)) {
                    log.warn("Cannot complete transaction {}: {}; retrying", id, error.getMessage());
                    completionRetries.incrementAndGet();
                    coordinator.schedule(() -> {
                        completionRetries.decrementAndGet();
                        complete(shard, prepared);
                    }, COMPLETE_RETRY_MS);
                }
            });
        }
    }

    /** Kafka's checks of every request of a producer: its id, its epoch, no transition in flight. */
    private static TransactionMetadata checkProducer(TransactionShard shard, String id, long producerId, short epoch) {
        TransactionMetadata txn = shard.get(id);
        if (txn == null || txn.producerId() != producerId) {
            throw new InvalidPidMappingException("Producer " + producerId + " is not the producer of transactional id " + id);
        }
        if (txn.producerEpoch() != epoch) {
            throw new ProducerFencedException("Epoch " + epoch + " of producer " + producerId + " is fenced by epoch "
                    + txn.producerEpoch());
        }
        checkNoPendingTransition(shard, id);
        return txn;
    }

    private static void checkNoPendingTransition(TransactionShard shard, String id) {
        if (shard.hasPendingTransition(id)) {
            throw new ConcurrentTransactionsException("Transactional id " + id + " has a state change in progress");
        }
    }

    private static ConcurrentTransactionsException concurrent(String id, TransactionMetadata txn) {
        return new ConcurrentTransactionsException("Transaction " + id + " is " + txn.state().displayName());
    }
}
