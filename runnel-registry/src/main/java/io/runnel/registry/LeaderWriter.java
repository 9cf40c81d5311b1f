package io.runnel.registry;

import io.runnel.registry.leader.LeaderElection;
import io.runnel.registry.storage.RegistryKey;
import io.runnel.registry.storage.SchemaLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's one writer thread, which runs writes only while this instance is the elected leader (50004
 * otherwise). The first write of each leadership reads {@code _schemas} to its end first, so a new leader never gives
 * an id or version its predecessor gave.
 */
final class LeaderWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderWriter.class);
    private static final int WRITE_QUEUE = 1024;

    private final SchemaLog log;
    private final LeaderElection election;
    private final Duration timeout;
    private final ThreadPoolExecutor writer;
    /** The group generation whose leadership this instance has read the topic to its end for; writer thread only. */
    private int caughtUpGeneration = -1;

    LeaderWriter(SchemaLog log, LeaderElection election, Duration timeout) {
        this.log = log;
        this.election = election;
        this.timeout = timeout;
        // Bounded: a flood of registrations is refused (50001) rather than queued without limit.
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WRITE_QUEUE),
                r -> {
                    Thread t = new Thread(r, "schema-registry-writer");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Runs the write on the writer thread once this instance is known to lead. */
    <T> CompletableFuture<T> submit(Callable<T> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    checkLeader();
                    result.complete(operation.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException busy) {
            result.completeExceptionally(RegistryException.storeError("too many writes waiting"));
        }
        return result;
    }

    /** Appends records (a null value is a tombstone) from a write; returns once they are in the index. */
    void append(List<Map.Entry<RegistryKey, byte[]>> records) throws Exception {
        store(() -> log.append(records, timeout));
    }

    private void checkLeader() throws Exception {
        LeaderElection.Leader leader = election.current();
        if (leader == null || !leader.self()) {
            throw RegistryException.unknownLeader("this instance is not the leader");
        }
        if (leader.generation() != caughtUpGeneration) {
            store(() -> log.catchUp(timeout));
            caughtUpGeneration = leader.generation();
        }
    }

    /** A call on the topic, its failures in Confluent's codes. */
    private static void store(StoreCall call) throws Exception {
        try {
            call.run();
        } catch (TimeoutException e) {
            throw new RegistryException(50002, "Operation timed out: " + e.getMessage());
        } catch (ExecutionException e) {
            LOG.warn("Writing to the schema registry's topic failed", e.getCause());
            throw RegistryException.storeError(String.valueOf(e.getCause().getMessage()));
        }
    }

    private interface StoreCall {
        void run() throws Exception;
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
