package io.runnel.broker.replica;

import io.runnel.metadata.PartitionRegistration;
import io.runnel.storage.AppendResult;
import io.runnel.storage.PartitionLog;
import io.runnel.storage.VerificationGuard;
import io.runnel.storage.record.TxnMarkers;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AlterPartitionRequestData.BrokerState;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A replica of a partition hosted by this broker, leader or follower as the metadata log last said. As leader it
 * tracks its followers' fetches, moves the high watermark to the smallest log end offset in the (maximal) ISR,
 * proposes ISR changes to the controller one at a time, and wakes the fetches and produces parked on it. Role
 * changes take the write lock; appends and fetch bookkeeping the read lock, so none straddles a role change.
 */
public final class Partition {
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);
    /** After a failed AlterPartition, no new proposal is sent for this long. */
    private static final long ISR_CHANGE_RETRY_BACKOFF_MS = 500;

    /** Replaced only when the replica moves to another log dir, under the write lock and this monitor. */
    private volatile PartitionLog log;
    private final int localBrokerId;
    private final ReplicaContext context;
    private final ReentrantReadWriteLock roleLock = new ReentrantReadWriteLock();
    private final ParkedOperations parked;
    private volatile boolean leader;
    private volatile int leaderId = -1;
    private volatile int leaderEpoch = -1;
    private volatile IsrState isrState = IsrState.committed(new int[0], -1);
    private volatile long leaderEpochStartOffset = -1;
    private volatile int minInsyncReplicas;
    private volatile int replicationFactor;
    private volatile long isrChangeRetryAtMs;
    private final Map<Integer, FollowerReplica> followers = new ConcurrentHashMap<>();
    private volatile Runnable highWatermarkListener = () -> { };

    Partition(PartitionLog log, int localBrokerId, int minInsyncReplicas, ReplicaContext context) {
        this.log = log;
        this.localBrokerId = localBrokerId;
        this.minInsyncReplicas = minInsyncReplicas;
        this.context = context;
        this.parked = new ParkedOperations(context.delayedOperations());
    }

    public TopicPartition topicPartition() {
        return log.topicPartition();
    }

    public PartitionLog log() {
        return log;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public boolean isLeader() {
        return leader;
    }

    /** The broker this replica last heard leads the partition, -1 if none. */
    public int leaderId() {
        return leaderId;
    }

    /**
     * Told each time this leader's high watermark advances, on the thread that moved it (a coordinator completes its
     * writes): it must only hand the work on. Replaces the previous listener.
     */
    public void setHighWatermarkListener(Runnable listener) {
        this.highWatermarkListener = listener;
    }

    /** The ISR the high watermark and min.insync.replicas count (the maximal one while a change is pending). */
    public int[] maximalIsr() {
        return isrState.maximalIsr().clone();
    }

    /** The size of the ISR the controller committed. */
    public int isrSize() {
        return isrState.isr().length;
    }

    /** The number of replicas the metadata log assigns. */
    public int replicationFactor() {
        return replicationFactor;
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    void updateMinInsyncReplicas(int minInsyncReplicas) {
        this.minInsyncReplicas = minInsyncReplicas;
    }

    /**
     * Becomes (or stays) leader as {@code registration} says. A new leader epoch records where it starts in the
     * log and forgets what followers had fetched: each must fetch from this leader before it counts for the high
     * watermark. Returns whether this was a leadership change (not an ISR update within the same epoch).
     */
    boolean makeLeader(PartitionRegistration registration) {
        roleLock.writeLock().lock();
        try {
            boolean newEpoch = !leader || registration.leaderEpoch() != leaderEpoch;
            leaderId = localBrokerId;
            replicationFactor = registration.replicas().length;
            long now = context.nowMs();
            int[] isr = registration.isr();
            if (newEpoch) {
                leaderEpoch = registration.leaderEpoch();
                leaderEpochStartOffset = log.logEndOffset();
                log.assignEpochStartOffset(leaderEpoch, leaderEpochStartOffset);
                followers.clear();
                leader = true;
            }
            for (int replica : registration.replicas()) {
                if (replica != localBrokerId) {
                    followers.computeIfAbsent(replica, id -> new FollowerReplica(id, contains(isr, id) ? now : 0));
                }
            }
            followers.keySet().removeIf(id -> !contains(registration.replicas(), id));
            synchronized (this) {
                // A pending change stays pending until the metadata log shows a newer partition epoch.
                if (newEpoch || registration.partitionEpoch() > isrState.partitionEpoch()) {
                    if (!newEpoch) { // the controller changed the ISR itself, e.g. it fenced a follower
                        context.replicaMetrics().isrChanged(isrState.isr().length, registration.isr().length);
                    }
                    isrState = IsrState.committed(registration.isr(), registration.partitionEpoch());
                }
            }
            return newEpoch;
        } finally {
            roleLock.writeLock().unlock();
        }
    }

    /** After {@link #makeLeader}: moves the high watermark the new ISR allows and rechecks parked produces. */
    void afterLeadershipUpdate() {
        maybeIncrementHighWatermark();
        parked.checkProduces();
    }

    /** Becomes a follower of {@code registration.leader()}: parked fetches and produces here are answered. */
    void makeFollower(PartitionRegistration registration) {
        roleLock.writeLock().lock();
        try {
            leader = false;
            leaderId = registration.leader();
            leaderEpoch = registration.leaderEpoch();
            updateFollowerAssignment(registration);
            followers.clear();
        } finally {
            roleLock.writeLock().unlock();
        }
        wakeAllWaiters();
    }

    /**
     * A follower takes the replicas and the ISR of a registration with its leader and leader epoch unchanged: its
     * fetching goes on as it was, but whether it is in the ISR decides its follower replication throttle.
     */
    void updateFollowerAssignment(PartitionRegistration registration) {
        replicationFactor = registration.replicas().length;
        synchronized (this) {
            isrState = IsrState.committed(registration.isr(), registration.partitionEpoch());
        }
    }

    /**
     * Swaps in the log {@code replacement} makes of this replica in another log dir, with no append, high watermark
     * move or role change meanwhile: the old log refuses appends once replaced. A leader's epoch start, which the new
     * log drops at load when nothing was appended in the epoch yet, is recorded again.
     */
    void replaceLog(Supplier<PartitionLog> replacement) {
        roleLock.writeLock().lock();
        try {
            synchronized (this) {
                log = replacement.get();
                if (leader) {
                    log.assignEpochStartOffset(leaderEpoch, leaderEpochStartOffset);
                }
            }
        } finally {
            roleLock.writeLock().unlock();
        }
    }

    /** Checks a client's view of the leader epoch (-1 = the client does not know it), as Kafka's leaders do. */
    public void validateLeaderEpoch(int clientEpoch) {
        int current = leaderEpoch;
        if (clientEpoch < 0 || clientEpoch == current) {
            return;
        }
        if (clientEpoch < current) {
            throw new FencedLeaderEpochException("Leader epoch " + clientEpoch + " of " + topicPartition()
                    + " is older than the current " + current);
        }
        throw new UnknownLeaderEpochException("Leader epoch " + clientEpoch + " of " + topicPartition()
                + " is newer than the current " + current);
    }

    private void requireLeader() {
        if (!leader) {
            throw new NotLeaderOrFollowerException("Broker " + localBrokerId + " is not the leader of "
                    + topicPartition());
        }
    }

    /**
     * Appends as leader. acks=all is refused (NOT_ENOUGH_REPLICAS, nothing appended) while the ISR is smaller than
     * min.insync.replicas; its answer waits for the high watermark (see {@link ProducePurgatory}).
     */
    public AppendResult appendAsLeader(ByteBuffer batches, short requiredAcks) {
        return appendAsLeader(batches.remaining(), requiredAcks, epoch -> log.appendAsLeader(batches, epoch));
    }

    /**
     * Appends a transactional producer's batches once its coordinator confirmed the transaction has this partition
     * (see {@link PartitionLog#appendVerifiedAsLeader}).
     */
    public AppendResult appendVerifiedAsLeader(ByteBuffer batches, short requiredAcks, VerificationGuard guard) {
        return appendAsLeader(batches.remaining(), requiredAcks,
                epoch -> log.appendVerifiedAsLeader(batches, epoch, guard));
    }

    /** Starts confirming a producer's transaction before its transactional batches are appended here. */
    public VerificationGuard startTransactionVerification(long producerId, short epoch) {
        return log.startTransactionVerification(producerId, epoch);
    }

    /**
     * Appends a batch of a coordinator led here, as acks=all (see {@link PartitionLog#appendAsCoordinator}); a
     * transactional one is checked by its producer epoch only.
     */
    public AppendResult appendAsCoordinator(ByteBuffer batch) {
        return appendAsLeader(batch.remaining(), (short) -1, epoch -> log.appendAsCoordinator(batch, epoch));
    }

    /** {@link #appendAsCoordinator} of a transactional batch whose transaction was confirmed under {@code guard}. */
    public AppendResult appendVerifiedAsCoordinator(ByteBuffer batch, VerificationGuard guard) {
        return appendAsLeader(batch.remaining(), (short) -1,
                epoch -> log.appendVerifiedAsCoordinator(batch, epoch, guard));
    }

    /**
     * Writes a transaction marker as leader, as acks=all: refused while the ISR is under min.insync.replicas, and
     * answered once replicated (see {@link PartitionLog#appendMarkerAsLeader} for the epoch checks).
     */
    public AppendResult appendMarkerAsLeader(long producerId, short producerEpoch, int coordinatorEpoch,
                                             boolean commit, int transactionVersion) {
        return appendAsLeader(TxnMarkers.BATCH_BYTES, (short) -1, epoch -> log.appendMarkerAsLeader(producerId, producerEpoch,
                coordinatorEpoch, commit, transactionVersion, epoch));
    }

    private AppendResult appendAsLeader(int bytes, short requiredAcks, IntFunction<AppendResult> append) {
        AppendResult result;
        roleLock.readLock().lock();
        try {
            requireLeader();
            int isrSize = isrState.isr().length;
            if (requiredAcks == -1 && isrSize < minInsyncReplicas) {
                throw new NotEnoughReplicasException("The ISR of " + topicPartition() + " has " + isrSize
                        + " replicas, fewer than min.insync.replicas=" + minInsyncReplicas);
            }
            result = append.apply(leaderEpoch);
        } finally {
            roleLock.readLock().unlock();
        }
        if (!result.duplicate()) {
            parked.onAppend(bytes, result.lastOffset() + 1);
            maybeIncrementHighWatermark();
        }
        return result;
    }

    /**
     * Appends batches fetched from the leader; the high watermark follows the leader's, capped at the log end. A
     * consumer fetching from this follower (KIP-392) is woken once the appended records are below it.
     */
    public long appendAsFollower(ByteBuffer batches) {
        int bytes = batches.remaining();
        long appended;
        roleLock.readLock().lock();
        try {
            appended = log.appendAsFollower(batches);
        } finally {
            roleLock.readLock().unlock();
        }
        context.topicMetrics().replicationBytesIn(bytes);
        parked.onAppend(bytes, log.logEndOffset());
        return appended;
    }

    void updateFollowerHighWatermark(long leaderHighWatermark) {
        long capped = Math.min(leaderHighWatermark, log.logEndOffset());
        if (capped > log.highWatermark()) {
            log.updateHighWatermark(capped);
            parked.onHighWatermark(capped);
        }
    }

    /** What this leader knows of a follower from its fetches, for choosing a consumer's preferred read replica. */
    public record FollowerState(int brokerId, long logEndOffset, long lastCaughtUpTimeMs) {
    }

    /** Each follower's state as of its last fetch from this leader (a follower that has not fetched: -1). */
    public List<FollowerState> followerStates() {
        return followers.values().stream().map(f -> new FollowerState(f.brokerId, f.logEndOffset(),
                f.lastCaughtUpTimeMs())).toList();
    }

    /**
     * Records a follower's fetch at {@code fetchOffset}, made when this log ended at {@code leaderLogEndOffset}:
     * it may join the ISR and move the high watermark.
     */
    public void recordFollowerFetch(int replicaId, long brokerEpoch, long fetchOffset, long leaderLogEndOffset) {
        roleLock.readLock().lock();
        try {
            FollowerReplica follower = followers.get(replicaId);
            if (!leader || follower == null) {
                return;
            }
            follower.onFetch(fetchOffset, leaderLogEndOffset, brokerEpoch, context.nowMs());
            maybeExpandIsr(follower);
        } finally {
            roleLock.readLock().unlock();
        }
        maybeIncrementHighWatermark();
    }

    /**
     * Kafka's rule: the high watermark is the smallest log end offset over the maximal ISR and the followers caught
     * up within replica.lag.time.max.ms (so that a follower catching up under load can reach the high watermark and
     * join the ISR); it never moves back, and stands still while the ISR is below min.insync.replicas (KIP-966: so a
     * replica that left such an ISR holds every committed record and may lead as an eligible leader replica).
     */
    void maybeIncrementHighWatermark() {
        long oldHw;
        long newHw;
        synchronized (this) {
            if (!leader || isrState.isr().length < Math.min(minInsyncReplicas, replicationFactor)) {
                return;
            }
            long logEnd = log.logEndOffset();
            long now = context.nowMs();
            int[] maximalIsr = isrState.maximalIsr();
            newHw = logEnd;
            for (FollowerReplica follower : followers.values()) {
                long end = follower.logEndOffset();
                if (contains(maximalIsr, follower.brokerId)) {
                    if (end < 0) {
                        return; // not fetched from this leader yet
                    }
                    newHw = Math.min(newHw, end);
                } else if (end >= 0 && follower.isCaughtUp(logEnd, now, context.lagTimeMaxMs())
                        && context.isrEligible(follower.brokerId)) {
                    newHw = Math.min(newHw, end);
                }
            }
            oldHw = log.highWatermark();
            if (newHw <= oldHw) {
                return;
            }
            log.updateHighWatermark(newHw);
        }
        parked.onHighWatermark(newHw);
        highWatermarkListener.run();
    }

    /** Kafka's ISR join rule: caught up to the high watermark and into the current leader epoch. */
    private void maybeExpandIsr(FollowerReplica follower) {
        IsrState state = isrState;
        if (state.pending() || state.inIsr(follower.brokerId) || context.nowMs() < isrChangeRetryAtMs
                || !context.isrEligible(follower.brokerId)) {
            return;
        }
        long end = follower.logEndOffset();
        if (end >= log.highWatermark() && end >= leaderEpochStartOffset) {
            int[] proposed = Arrays.copyOf(state.isr(), state.isr().length + 1);
            proposed[proposed.length - 1] = follower.brokerId;
            proposeIsr(state, proposed);
        }
    }

    /** Proposes removing ISR members that have not caught up for replica.lag.time.max.ms. */
    void maybeShrinkIsr() {
        roleLock.readLock().lock();
        try {
            IsrState state = isrState;
            long now = context.nowMs();
            if (!leader || state.pending() || now < isrChangeRetryAtMs) {
                return;
            }
            long logEnd = log.logEndOffset();
            List<Integer> kept = new ArrayList<>();
            for (int id : state.isr()) {
                FollowerReplica follower = followers.get(id);
                if (id == localBrokerId || follower == null
                        || follower.isCaughtUp(logEnd, now, context.lagTimeMaxMs())) {
                    kept.add(id);
                }
            }
            if (kept.size() < state.isr().length) {
                LOG.info("Shrinking the ISR of {} from {} to {}: the others have not caught up for {} ms",
                        topicPartition(), Arrays.toString(state.isr()), kept, context.lagTimeMaxMs());
                proposeIsr(state, kept.stream().mapToInt(Integer::intValue).toArray());
            }
        } finally {
            roleLock.readLock().unlock();
        }
    }

    /** Called under the read lock: one proposal in flight per partition (the pending state is the guard). */
    private void proposeIsr(IsrState current, int[] proposed) {
        IsrState pending = current.pending(proposed);
        synchronized (this) {
            if (isrState != current) {
                return;
            }
            // A shrink keeps counting the old members (maximal = old ISR); an expansion counts the new one at once.
            isrState = pending;
        }
        int epoch = leaderEpoch;
        List<BrokerState> newIsr = new ArrayList<>();
        for (int id : proposed) {
            FollowerReplica follower = followers.get(id);
            newIsr.add(new BrokerState().setBrokerId(id)
                    .setBrokerEpoch(follower == null ? context.localBrokerEpoch() : follower.brokerEpoch()));
        }
        context.isrChanges().send(log.topicId(), topicPartition().partition(), epoch, current.partitionEpoch(), newIsr)
                .whenComplete((response, error) -> onIsrChangeAnswered(pending, epoch, response, error));
    }

    private void onIsrChangeAnswered(IsrState sent, int epoch, AlterPartitionResponseData.PartitionData response,
                                     Throwable error) {
        synchronized (this) {
            if (isrState != sent || leaderEpoch != epoch) {
                return; // the metadata log got here first, or leadership moved
            }
            if (error == null && response.errorCode() == Errors.NONE.code()) {
                int[] isr = response.isr().stream().mapToInt(Integer::intValue).toArray();
                context.replicaMetrics().isrChanged(sent.isr().length, isr.length);
                isrState = IsrState.committed(isr, response.partitionEpoch());
            } else {
                LOG.info("AlterPartition of {} failed: {}", topicPartition(),
                        error != null ? error.toString() : Errors.forCode(response.errorCode()));
                isrState = IsrState.committed(sent.isr(), sent.partitionEpoch());
                isrChangeRetryAtMs = context.nowMs() + ISR_CHANGE_RETRY_BACKOFF_MS;
            }
        }
        maybeIncrementHighWatermark();
        parked.checkProduces();
    }

    /**
     * Where a parked acks=all produce stands, Kafka's rule: null while the high watermark is below
     * {@code requiredOffset}; then NONE, or NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR fell under
     * min.insync.replicas meanwhile; NOT_LEADER_OR_FOLLOWER once leadership moved.
     */
    Errors produceStatus(long requiredOffset) {
        if (!leader) {
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        if (log.highWatermark() < requiredOffset) {
            return null;
        }
        return isrState.maximalIsr().length >= minInsyncReplicas ? Errors.NONE : Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
    }

    static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }

    ParkedOperations parked() {
        return parked;
    }

    /** Releases fetches and produces parked on this partition, e.g. when it is deleted or leadership moves. */
    void wakeAllWaiters() {
        parked.wakeAll();
    }
}
