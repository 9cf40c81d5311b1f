package io.runnel.console;

import io.runnel.console.schemas.RegistryClient;
import io.runnel.http.HttpException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The console's clients of the cluster: one Admin and one producer shared by every page, a consumer of no group per
 * message browse, and the schema registry's client when {@code schema.registry.url} is set. Pages run on worker
 * threads, so they wait for the cluster's answers.
 */
public final class ConsoleClients implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final long ANSWER_TIMEOUT_SECONDS = 30;

    private final Map<String, Object> properties;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final RegistryClient registry;

    public ConsoleClients(ConsoleConfig config) {
        properties = config.clientProperties();
        admin = Admin.create(with(Map.of("client.id", "runnel-console")));
        try {
            producer = new KafkaProducer<>(with(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, "0", ProducerConfig.CLIENT_ID_CONFIG, "runnel-console")),
                    new ByteArraySerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            admin.close(CLOSE_TIMEOUT);
            throw e;
        }
        registry = config.schemaRegistryUrl() == null ? null : new RegistryClient(config.schemaRegistryUrl());
    }

    private Map<String, Object> with(Map<String, Object> defaults) {
        Map<String, Object> merged = new HashMap<>(defaults);
        merged.putAll(properties);
        return merged;
    }

    public Admin admin() {
        return admin;
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    /**
     * A consumer of no group that commits nothing: the caller assigns, reads and closes it. It reads records already
     * written, so a fetch need not wait for more.
     */
    public KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = with(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "runnel-console",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50"));
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The registry's client, null when none is configured. */
    public RegistryClient registry() {
        return registry;
    }

    /** The answer of an Admin's or the producer's future; its failure thrown as it is (an {@code ApiException}). */
    public static <T> T await(Future<T> future) {
        try {
            return future.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new HttpException(504, "The cluster did not answer within " + ANSWER_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpException(503, "Interrupted");
        }
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
        admin.close(CLOSE_TIMEOUT);
    }
}
