package io.runnel.broker.txn;

import io.runnel.broker.coordinator.CoordinatorWriter;
import io.runnel.broker.coordinator.PartitionReplay;
import io.runnel.broker.coordinator.ShardWrites;
import io.runnel.broker.protocol.KeyValueBatches;
import io.runnel.broker.replica.Partition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The transactional ids of one {@code __transaction_state} partition this broker leads, rebuilt by replaying the
 * partition when leadership arrives and persisted there through a {@link CoordinatorWriter}. A new state becomes
 * visible only once its record is committed; meanwhile the id has a pending transition (Kafka's
 * {@code pendingState}) and other requests for it are answered CONCURRENT_TRANSACTIONS. Every use holds the shard's
 * lock ({@code synchronized (shard)}); write completions take it too.
 */
public final class TransactionShard {
    private static final Logger log = LoggerFactory.getLogger(TransactionShard.class);

    private final Partition partition;
    private final CoordinatorWriter writer;
    private final int coordinatorEpoch;
    private final Map<String, TransactionMetadata> transactions = new HashMap<>();
    private final Set<String> pending = new HashSet<>();
    /** The marker sending in progress per transactional id, stopped when the shard unloads. */
    private final Map<String, CompletableFuture<Void>> markers = new HashMap<>();
    /** Requests waiting for an id's next state change (see {@link #nextChange}). */
    private final Map<String, List<CompletableFuture<Void>>> changeWaiters = new HashMap<>();
    private volatile boolean loaded;
    private boolean unloaded;

    TransactionShard(Partition partition, CoordinatorWriter writer) {
        this.partition = partition;
        this.writer = writer;
        this.coordinatorEpoch = partition.leaderEpoch();
    }

    public int partitionIndex() {
        return partition.topicPartition().partition();
    }

    /** The leader epoch of the partition when this shard took it: markers carry it. */
    int coordinatorEpoch() {
        return coordinatorEpoch;
    }

    boolean isLoaded() {
        return loaded;
    }

    boolean isUnloaded() {
        return unloaded;
    }

    /** The committed state of the id, or null. */
    TransactionMetadata get(String transactionalId) {
        return transactions.get(transactionalId);
    }

    Collection<TransactionMetadata> transactions() {
        return new ArrayList<>(transactions.values());
    }

    boolean hasPendingTransition(String transactionalId) {
        return pending.contains(transactionalId);
    }

    /**
     * Writes the id's next state (a tombstone for {@link TransactionState#DEAD}); it becomes the id's state once
     * committed. The future's dependents run under the shard's lock; it fails with the error Kafka's coordinator gives
     * for a failed write, and the id's state then stays as it was.
     */
    CompletableFuture<Void> write(TransactionMetadata next) {
        String id = next.transactionalId();
        pending.add(id);
        List<ByteBuffer> values = Collections.singletonList(
                next.state() == TransactionState.DEAD ? null : TransactionRecords.value(next));
        CompletableFuture<Void> written = writer.write(KeyValueBatches.build(System.currentTimeMillis(),
                List.of(TransactionRecords.key(id)), values), () -> {
                    synchronized (this) {
                        if (!unloaded) {
                            apply(next);
                            pending.remove(id);
                            changed(id);
                        }
                    }
                });
        CompletableFuture<Void> result = ShardWrites.underLock(this, written, this::writeError);
        result.whenComplete((done, error) -> {
            if (error != null) {
                synchronized (this) {
                    pending.remove(id);
                    changed(id);
                }
            }
        });
        return result;
    }

    /**
     * Completes, under the shard's lock, when the id's next state is committed or its pending write fails, or when
     * the shard unloads: a request refused as concurrent can then be tried again at once.
     */
    CompletableFuture<Void> nextChange(String transactionalId) {
        CompletableFuture<Void> change = new CompletableFuture<>();
        changeWaiters.computeIfAbsent(transactionalId, id -> new ArrayList<>()).add(change);
        return change;
    }

    private void changed(String transactionalId) {
        List<CompletableFuture<Void>> waiting = changeWaiters.remove(transactionalId);
        if (waiting != null) {
            waiting.forEach(change -> change.complete(null));
        }
    }

    /** Completes, under the shard's lock, once every write made so far is committed. */
    CompletableFuture<Void> whenCommitted() {
        return ShardWrites.underLock(this, writer.whenCommitted(), this::writeError);
    }

    private ApiException writeError(Throwable error) {
        return ShardWrites.writeError(error, partition.topicPartition().toString());
    }

    /** Remembers the marker sending of a transaction, so that unloading stops it. */
    void trackMarkers(String transactionalId, CompletableFuture<Void> sending) {
        markers.put(transactionalId, sending);
        sending.whenComplete((done, error) -> {
            synchronized (this) {
                markers.remove(transactionalId, sending);
            }
        });
    }

    private void apply(TransactionMetadata txn) {
        if (txn.state() == TransactionState.DEAD) {
            transactions.remove(txn.transactionalId());
        } else {
            transactions.put(txn.transactionalId(), txn);
        }
    }

    /** Rebuilds the state from the partition's log. */
    synchronized void load() {
        long end = PartitionReplay.replay(partition.log(), (key, value) -> {
            String id = TransactionRecords.transactionalId(key);
            if (value == null) {
                transactions.remove(id);
            } else {
                transactions.put(id, TransactionRecords.readValue(id, value));
            }
        });
        loaded = true;
        log.info("Loaded {} transactional ids from {} up to offset {} at coordinator epoch {}", transactions.size(),
                partition.topicPartition(), end, coordinatorEpoch);
    }

    /** Called when leadership goes: pending writes fail with NOT_COORDINATOR and marker sending stops. */
    synchronized void unload() {
        unloaded = true;
        writer.close(new NotCoordinatorException("Partition " + partition.topicPartition() + " is no longer led here"));
        new ArrayList<>(markers.values()).forEach(sending -> sending.cancel(false));
        markers.clear();
        transactions.clear();
        pending.clear();
        List<CompletableFuture<Void>> waiting = changeWaiters.values().stream().flatMap(List::stream).toList();
        changeWaiters.clear();
        waiting.forEach(change -> change.complete(null));
    }
}
