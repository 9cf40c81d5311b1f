package io.runnel.broker.coordinator;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.broker.replica.Partition;
import io.runnel.storage.VerificationGuard;

import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * What Kafka's coordinator runtime gives its coordinators (group, transactions): writes to the partition a
 * coordinator shard leads that complete only once committed. One thread runs every completion and write timeout, so
 * completions of one shard run in the order of its appends and never on a network event loop or on the thread that
 * moved the high watermark.
 */
public final class CoordinatorRuntime implements AutoCloseable {
    private final long writeTimeoutMs;
    private final ScheduledThreadPoolExecutor executor =
            new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("runnel-coordinator-events", true));

    /** @param writeTimeoutMs how long a write may wait to be committed (Kafka's offsets.commit.timeout.ms). */
    public CoordinatorRuntime(long writeTimeoutMs) {
        this.writeTimeoutMs = writeTimeoutMs;
        executor.setRemoveOnCancelPolicy(true);
    }

    /** The writer of a shard on a partition led here; it follows the partition's high watermark from now on. */
    public CoordinatorWriter writer(Partition partition) {
        CoordinatorWriter writer = writer(partition.topicPartition().toString(), new CoordinatorLog() {
            @Override
            public long append(ByteBuffer batch) {
                return partition.appendAsCoordinator(batch).lastOffset() + 1;
            }

            @Override
            public long appendVerified(ByteBuffer batch, VerificationGuard guard) {
                return partition.appendVerifiedAsCoordinator(batch, guard).lastOffset() + 1;
            }

            @Override
            public long appendMarker(TransactionMarker marker) {
                return partition.appendMarkerAsLeader(marker.producerId(), marker.producerEpoch(),
                        marker.coordinatorEpoch(), marker.commit(), marker.transactionVersion()).lastOffset() + 1;
            }

            @Override
            public long highWatermark() {
                return partition.log().highWatermark();
            }
        });
        partition.setHighWatermarkListener(writer::onHighWatermark);
        return writer;
    }

    /** A writer on any log; the caller tells it of high watermark moves ({@link CoordinatorWriter#onHighWatermark}). */
    public CoordinatorWriter writer(String name, CoordinatorLog log) {
        return new CoordinatorWriter(name, log, executor, writeTimeoutMs);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
