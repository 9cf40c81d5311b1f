package io.runnel.broker.replica;

import io.runnel.storage.AppendResult;
import io.runnel.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A partition this broker leads: its log, its leader epoch and ISR as the metadata log last said,
 * and the delayed fetches waiting for its next append.
 */
public final class Partition {
    /** Waiters are purged of completed fetches when their count passes this, so idle partitions don't accumulate them. */
    private static final int PURGE_THRESHOLD = 64;

    private final PartitionLog log;
    private final int localBrokerId;
    private volatile int leaderEpoch;
    private volatile int[] isr;
    private volatile int minInsyncReplicas;
    private final ConcurrentLinkedQueue<DelayedFetch> waiters = new ConcurrentLinkedQueue<>();

    Partition(PartitionLog log, int localBrokerId, int leaderEpoch, int[] isr, int minInsyncReplicas) {
        this.log = log;
        this.localBrokerId = localBrokerId;
        this.leaderEpoch = leaderEpoch;
        this.isr = isr;
        this.minInsyncReplicas = minInsyncReplicas;
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

    void updateLeadership(int leaderEpoch, int[] isr) {
        this.leaderEpoch = leaderEpoch;
        this.isr = isr;
    }

    void updateMinInsyncReplicas(int minInsyncReplicas) {
        this.minInsyncReplicas = minInsyncReplicas;
    }

    /** Checks a client's view of the leader epoch (-1 = the client does not know it), as Kafka's leaders do. */
    public void validateLeaderEpoch(int clientEpoch) {
        if (clientEpoch < 0 || clientEpoch == leaderEpoch) {
            return;
        }
        if (clientEpoch < leaderEpoch) {
            throw new FencedLeaderEpochException("Leader epoch " + clientEpoch + " of " + topicPartition()
                    + " is older than the current " + leaderEpoch);
        }
        throw new UnknownLeaderEpochException("Leader epoch " + clientEpoch + " of " + topicPartition()
                + " is newer than the current " + leaderEpoch);
    }

    /**
     * Appends as leader. The high watermark is the smallest log end offset across the ISR; while the ISR
     * holds only this broker (no followers replicate yet) it moves with every append, so acks=all is
     * satisfied as soon as the append returns.
     */
    public AppendResult appendAsLeader(ByteBuffer batches, short requiredAcks) {
        if (requiredAcks == -1 && isr.length < minInsyncReplicas) {
            throw new NotEnoughReplicasException("ISR of " + topicPartition() + " has " + isr.length
                    + " replicas, fewer than min.insync.replicas=" + minInsyncReplicas);
        }
        int bytes = batches.remaining();
        AppendResult result = log.appendAsLeader(batches, leaderEpoch);
        if (!result.duplicate()) {
            maybeAdvanceHighWatermark();
            notifyWaiters(bytes);
        }
        return result;
    }

    private void maybeAdvanceHighWatermark() {
        if (isr.length == 1 && isr[0] == localBrokerId) {
            log.updateHighWatermark(log.logEndOffset());
        }
    }

    /** Makes the high watermark consistent with the log after this broker takes leadership. */
    void onBecomeLeader() {
        maybeAdvanceHighWatermark();
    }

    void addWaiter(DelayedFetch fetch) {
        if (waiters.size() > PURGE_THRESHOLD) {
            waiters.removeIf(DelayedFetch::isCompleted);
        }
        waiters.add(fetch);
    }

    private void notifyWaiters(int appendedBytes) {
        if (waiters.isEmpty()) {
            return;
        }
        for (Iterator<DelayedFetch> it = waiters.iterator(); it.hasNext(); ) {
            DelayedFetch fetch = it.next();
            if (fetch.isCompleted() || fetch.onAppend(appendedBytes)) {
                it.remove();
            }
        }
    }

    /** Releases fetches parked on this partition, e.g. when it is deleted or leadership moves. */
    void wakeAllWaiters() {
        for (DelayedFetch fetch; (fetch = waiters.poll()) != null; ) {
            fetch.forceComplete();
        }
    }
}
