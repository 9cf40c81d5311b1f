package io.runnel.broker.replica;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.storage.LogManager;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Moves replicas between this broker's log dirs, as Kafka's ReplicaAlterLogDirsThread does, on a thread of its own
 * (file copies and fsyncs, never an event loop's): fills each moving replica's future log from its current log a
 * chunk at a time, no faster than replica.alter.log.dirs.io.max.bytes.per.second, and, once a copy has caught up,
 * has the partition swap it in (the last batches are copied under the partition's lock, so producers and followers
 * go on meanwhile).
 */
final class LogDirMover implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogDirMover.class);
    /** How often moves are looked at when no request woke the mover. */
    private static final long PASS_INTERVAL_MS = 100;
    private static final int CHUNK_BYTES = 1024 * 1024;
    /** Bytes copied per replica in one pass, so that one large move does not hold up the others. */
    private static final int PASS_BYTES = 16 * CHUNK_BYTES;

    private final LogManager logs;
    private final Function<TopicPartition, Partition> partitions;
    private final ReplicationThrottles throttles;
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("runnel-log-dir-mover", true));

    LogDirMover(LogManager logs, Function<TopicPartition, Partition> partitions, ReplicationThrottles throttles) {
        this.logs = logs;
        this.partitions = partitions;
        this.throttles = throttles;
        executor.scheduleWithFixedDelay(this::pass, PASS_INTERVAL_MS, PASS_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** A move was asked for: look at once rather than at the next interval. */
    void wake() {
        try {
            executor.execute(this::pass);
        } catch (RejectedExecutionException closed) {
            LOG.debug("Not moving logs: the replica manager is closed");
        }
    }

    /**
     * One step of every move; a move still behind after its share goes on at once, not at the next interval (unless
     * the throttle holds it).
     */
    private void pass() {
        boolean behind = false;
        for (TopicPartition tp : logs.movingPartitions()) {
            Partition partition = partitions.apply(tp);
            if (partition == null) {
                continue; // not served yet (start-up) or being dropped: the log manager ends its move if deleted
            }
            try {
                behind |= copy(tp, partition);
            } catch (RuntimeException e) {
                LOG.warn("Moving {} to another log dir failed; retrying", tp, e);
            }
        }
        if (behind) {
            wake();
        }
    }

    /**
     * Copies a share of the log; once the copy has caught up, swaps it in. Returns whether the copy used its whole
     * share and is still behind.
     */
    private boolean copy(TopicPartition tp, Partition partition) {
        int budget = PASS_BYTES;
        int copied;
        do {
            if (throttles.holdsBackLogDirMove()) {
                return false;
            }
            copied = logs.copyToFuture(tp, CHUNK_BYTES);
            throttles.recordLogDirMoveBytes(copied);
            budget -= copied;
        } while (copied > 0 && budget > 0);
        if (copied > 0) {
            return true;
        }
        if (logs.futureLog(tp).isPresent()) {
            partition.replaceLog(() -> logs.replaceCurrentWithFuture(tp));
        }
        return false;
    }

    /** Lets a copy under way finish: interrupting file I/O would close the log's files. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("A log dir move did not finish its step within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
