package io.runnel.broker.coordinator;

import io.runnel.storage.VerificationGuard;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runnel.storage.VerificationGuard;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The writes of one coordinator shard to its partition. A write appends at once and completes once the high
 * watermark reaches the end of its batch: its {@code onCommitted} action runs, then its future completes, both on the
 * runtime's executor and in the order of the appends. Nothing waits on a thread meanwhile. A write not committed
 * within the timeout fails with COORDINATOR_NOT_AVAILABLE (its action still runs if it commits later: the state follows
 * the log); once the shard is closed (leadership gone) pending writes fail with the closing error and their actions
 * never run.
 */
public final class CoordinatorWriter {
    private static final Logger log = LoggerFactory.getLogger(CoordinatorWriter.class);

    private record PendingWrite(long endOffset, Runnable onCommitted, CompletableFuture<Void> done,
                                ScheduledFuture<?> timeout) {
    }

    private final String name;
    private final CoordinatorLog partition;
    private final ScheduledExecutorService executor;
    private final long timeoutMs;
    private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();
    private long lastWrittenOffset;
    private ApiException closed;

    CoordinatorWriter(String name, CoordinatorLog partition, ScheduledExecutorService executor, long timeoutMs) {
        this.name = name;
        this.partition = partition;
        this.executor = executor;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Appends the batch; the future completes once it is committed and {@code onCommitted} (may be null) has run, or
     * fails with the error Kafka's coordinators give for a failed write.
     */
    public CompletableFuture<Void> write(ByteBuffer batch, Runnable onCommitted) {
        return write(log -> log.append(batch), onCommitted);
    }

    /**
     * {@link #write} of a transactional batch whose transaction was confirmed to include the partition under
     * {@code guard}: fails with INVALID_TXN_STATE when that transaction ended since.
     */
    public CompletableFuture<Void> writeVerified(ByteBuffer batch, VerificationGuard guard, Runnable onCommitted) {
        return write(log -> log.appendVerified(batch, guard), onCommitted);
    }

    /**
     * Appends the marker ending a producer's transaction, in order with the other writes; completes as {@link #write}
     * does, with the marker's epoch errors as the partition gives them.
     */
    public CompletableFuture<Void> writeMarker(TransactionMarker marker, Runnable onCommitted) {
        return write(log -> log.appendMarker(marker), onCommitted);
    }

    private CompletableFuture<Void> write(ToLongFunction<CoordinatorLog> append, Runnable onCommitted) {
        synchronized (this) {
            if (closed != null) {
                return CompletableFuture.failedFuture(closed);
            }
            long end;
            try {
                end = append.applyAsLong(partition);
            } catch (ApiException e) {
                return CompletableFuture.failedFuture(toCoordinatorError(e));
            }
            lastWrittenOffset = end;
            return await(end, onCommitted);
        }
    }

    /**
     * Completes once every write appended so far is committed: a response computed from state those writes changed
     * is sent only then, even when its own request wrote nothing.
     */
    public CompletableFuture<Void> whenCommitted() {
        synchronized (this) {
            if (closed != null) {
                return CompletableFuture.failedFuture(closed);
            }
            if (pending.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return await(lastWrittenOffset, null);
        }
    }

    private CompletableFuture<Void> await(long endOffset, Runnable onCommitted) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledFuture<?> timeout = executor.schedule(() -> done.completeExceptionally(new CoordinatorNotAvailableException(
                "The write to " + name + " was not replicated within " + timeoutMs + " ms")), timeoutMs, TimeUnit.MILLISECONDS);
        pending.addLast(new PendingWrite(endOffset, onCommitted, done, timeout));
        // The high watermark may have passed the batch during the append, before it was pending.
        executor.execute(this::completeCommitted);
        return done;
    }

    /** The partition's high watermark moved: called on the thread that moved it, so the work goes to the executor. */
    public void onHighWatermark() {
        executor.execute(this::completeCommitted);
    }

    private void completeCommitted() {
        long highWatermark = partition.highWatermark();
        while (true) {
            PendingWrite write;
            synchronized (this) {
                write = pending.peekFirst();
                if (closed != null || write == null || write.endOffset > highWatermark) {
                    return;
                }
            }
            write.timeout.cancel(false);
            if (write.onCommitted != null) {
                try {
                    write.onCommitted.run();
                } catch (RuntimeException e) {
                    log.error("Applying a committed write of {} failed", name, e);
                }
            }
            synchronized (this) {
                // Pending until applied: whenCommitted() on another thread meanwhile waits for this write too.
                if (pending.peekFirst() == write) {
                    pending.pollFirst();
                }
            }
            write.done.complete(null);
        }
    }

    /** No more writes: pending ones fail with {@code reason} (on the executor) and their actions never run. */
    public void close(ApiException reason) {
        List<PendingWrite> failed;
        synchronized (this) {
            if (closed != null) {
                return;
            }
            closed = reason;
            failed = new ArrayList<>(pending);
            pending.clear();
        }
        if (!failed.isEmpty()) {
            executor.execute(() -> failed.forEach(w -> {
                w.timeout.cancel(false);
                w.done.completeExceptionally(reason);
            }));
        }
    }

    /**
     * Kafka's mapping of a failed coordinator write: too few replicas, an unknown partition or a timeout are
     * COORDINATOR_NOT_AVAILABLE (the client retries), a lost leadership or a storage error NOT_COORDINATOR (it looks
     * the coordinator up again); other errors stay as they are.
     */
    static ApiException toCoordinatorError(ApiException e) {
        if (e instanceof NotEnoughReplicasException || e instanceof NotEnoughReplicasAfterAppendException
                || e instanceof TimeoutException || e instanceof UnknownTopicOrPartitionException) {
            return new CoordinatorNotAvailableException("Cannot write to the coordinator's partition: " + e.getMessage());
        }
        if (e instanceof NotLeaderOrFollowerException || e instanceof KafkaStorageException) {
            return new NotCoordinatorException("Cannot write to the coordinator's partition: " + e.getMessage());
        }
        return e;
    }
}
