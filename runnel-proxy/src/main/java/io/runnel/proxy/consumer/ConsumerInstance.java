package io.runnel.proxy.consumer;

import io.runnel.proxy.RestErrors;
import io.runnel.proxy.format.EmbeddedFormat;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;

/**
 * One consumer instance of the v2 API: a KafkaConsumer, which is not thread-safe, used only from the instance's own
 * thread, so its calls run one at a time in arrival order and never on an event loop.
 */
public final class ConsumerInstance {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final String group;
    private final String name;
    private final EmbeddedFormat format;
    private final long requestTimeoutMs;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ExecutorService thread;
    private volatile long lastUsedNanos = System.nanoTime();

    ConsumerInstance(String group, String name, EmbeddedFormat format, long requestTimeoutMs,
                     KafkaConsumer<byte[], byte[]> consumer) {
        this.group = group;
        this.name = name;
        this.format = format;
        this.requestTimeoutMs = requestTimeoutMs;
        this.consumer = consumer;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rest-proxy-consumer-" + group + "-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public String group() {
        return group;
    }

    public String name() {
        return name;
    }

    public EmbeddedFormat format() {
        return format;
    }

    /** How long a records request waits for data when it names no timeout. */
    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    /**
     * Runs {@code call} on the instance's thread; Kafka's failures become Confluent's errors (an operation the
     * consumer's state forbids, such as seeking a partition it is not assigned, is 40903).
     */
    public <T> CompletableFuture<T> call(Function<KafkaConsumer<byte[], byte[]>, T> call) {
        touch();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return call.apply(consumer);
                } catch (IllegalStateException e) {
                    throw RestErrors.illegalState(e.getMessage());
                } catch (KafkaException e) {
                    throw RestErrors.kafka(e);
                } finally {
                    touch();
                }
            }, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(RestErrors.consumerInstanceNotFound());
        }
    }

    boolean idleLongerThan(long timeoutMs) {
        return System.nanoTime() - lastUsedNanos > timeoutMs * 1_000_000L;
    }

    private void touch() {
        lastUsedNanos = System.nanoTime();
    }

    /** Leaves the group after the calls already queued; later calls find no instance. */
    CompletableFuture<Void> close() {
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT)), thread);
        thread.shutdown();
        return closed;
    }
}
