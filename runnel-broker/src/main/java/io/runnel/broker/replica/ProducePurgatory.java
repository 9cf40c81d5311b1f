package io.runnel.broker.replica;

import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Parks acks=all produces and transaction marker writes until the high watermark passes their batches. Checks and completions run on the
 * purgatory's own thread, never on the thread whose append or fetch moved the high watermark.
 */
public final class ProducePurgatory implements AutoCloseable {
    private final HashedWheelTimer timer =
            new HashedWheelTimer(new DefaultThreadFactory("runnel-produce-purgatory", true), 5, TimeUnit.MILLISECONDS, 512);
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(new DefaultThreadFactory("runnel-produce-completion", true));

    Executor executor() {
        return executor;
    }

    /** A produce being answered: the partitions appended with acks=all that wait for replication. */
    public final class Request {
        private final List<DelayedProduce.Waiting> waiting = new ArrayList<>();

        public void await(Partition partition, long requiredOffset, PartitionProduceResponse response) {
            await(partition, requiredOffset, error -> response.setErrorCode(error.code())
                    .setErrorMessage(error.message()));
        }

        /** Waits for the partition's high watermark to reach {@code requiredOffset}; a failure goes to {@code onError}. */
        public void await(Partition partition, long requiredOffset, Consumer<Errors> onError) {
            waiting.add(new DelayedProduce.Waiting(partition, requiredOffset, onError));
        }

        /** Completes when every awaited partition has its outcome, or after {@code timeoutMs} (REQUEST_TIMED_OUT). */
        public CompletableFuture<Void> complete(long timeoutMs) {
            if (waiting.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            DelayedProduce produce = new DelayedProduce(waiting);
            // Kafka's try-complete-else-watch: a high watermark already past the batches (a single broker is its own
            // ISR) answers at once, on the request's own thread.
            if (produce.tryComplete()) {
                return produce.done();
            }
            produce.setTimeout(timer.newTimeout(t -> executor.execute(produce::expire), timeoutMs, TimeUnit.MILLISECONDS));
            Set<Partition> partitions = new LinkedHashSet<>();
            waiting.forEach(w -> partitions.add(w.partition()));
            partitions.forEach(p -> p.parked().addProduce(produce));
            return produce.done();
        }
    }

    public Request newRequest() {
        return new Request();
    }

    /**
     * The produces parked now, as the timer counts their pending timeouts (Kafka's purgatory size is its timer's too): O(1),
     * and a completed one leaves the count at the timer's next tick, when its cancelled timeout goes.
     */
    public int size() {
        return (int) timer.pendingTimeouts();
    }

    @Override
    public void close() {
        timer.stop();
        executor.shutdownNow();
    }
}
