package io.runnel.proxy;

import io.runnel.http.HttpException;
import io.runnel.proxy.format.SchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The proxy's clients of the cluster, shared by every request: one Admin, one producer (thread-safe, as Confluent's
 * proxy shares one per format) and the schema registry's client when {@code schema.registry.url} is set.
 */
public final class ClusterClients implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final RestProxyConfig config;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    /** {@code send} may block (metadata, a full buffer): never on an event loop. */
    private final ExecutorService sends = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "rest-proxy-producer");
        thread.setDaemon(true);
        return thread;
    });
    private final SchemaRegistryClient registry;

    public ClusterClients(RestProxyConfig config) {
        this.config = config;
        admin = Admin.create(config.adminProperties());
        try {
            producer = new KafkaProducer<>(producerProperties(config.producerProperties()), new ByteArraySerializer(),
                    new ByteArraySerializer());
        } catch (RuntimeException e) {
            admin.close(CLOSE_TIMEOUT);
            throw e;
        }
        registry = config.schemaRegistryUrl() == null ? null : new SchemaRegistryClient(config.schemaRegistryUrl());
    }

    private static Map<String, Object> producerProperties(Map<String, Object> configured) {
        Map<String, Object> properties = new java.util.HashMap<>(configured);
        properties.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "runnel-rest-proxy");
        return properties;
    }

    public RestProxyConfig config() {
        return config;
    }

    public Admin admin() {
        return admin;
    }

    /** The registry client; 42201-style refusal when the proxy has none configured. */
    public SchemaRegistryClient registry() {
        if (registry == null) {
            throw new HttpException(42205, "Invalid schema: the avro format needs schema.registry.url");
        }
        return registry;
    }

    /** A topic's partitions, 40401 when it does not exist. */
    public CompletableFuture<TopicDescription> describe(String topic) {
        return future(admin.describeTopics(List.of(topic)).allTopicNames()).thenApply(all -> all.get(topic));
    }

    /** Sends the records in order and completes once each has its offset or its error. */
    public CompletableFuture<List<CompletableFuture<RecordMetadata>>> send(List<ProducerRecord<byte[], byte[]>> records) {
        return CompletableFuture.supplyAsync(() -> {
            List<CompletableFuture<RecordMetadata>> results = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
                try {
                    producer.send(record, (metadata, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(failure);
                        } else {
                            result.complete(metadata);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
                results.add(result);
            }
            return results;
        }, sends).thenCompose(results -> CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .handle((v, ignored) -> results));
    }

    /** A Kafka future as a Java one whose failure is API v2's error (40401 for an unknown topic). */
    public static <T> CompletableFuture<T> future(KafkaFuture<T> future) {
        return future(future, RestErrors::kafka);
    }

    /** A Kafka future as a Java one whose failure, unwrapped, {@code errors} turns into Confluent's error. */
    public static <T> CompletableFuture<T> future(KafkaFuture<T> future, Function<Throwable, HttpException> errors) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                result.completeExceptionally(errors.apply(cause));
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    @Override
    public void close() {
        sends.shutdown();
        producer.close(CLOSE_TIMEOUT);
        admin.close(CLOSE_TIMEOUT);
    }
}
