package io.runnel.proxy.consumer;

import io.runnel.proxy.RestErrors;
import io.runnel.proxy.format.EmbeddedFormat;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The v2 API's consumer instances by group and name. An instance unused for {@code consumer.instance.timeout.ms} is
 * closed, as Confluent's proxy does, so clients that vanish leave no consumer behind.
 */
public final class ConsumerInstances implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerInstances.class);
    private static final long CLOSE_WAIT_SECONDS = 15;
    private static final List<String> OFFSET_RESETS = List.of("earliest", "latest", "none");

    private final Map<String, Object> consumerProperties;
    private final long instanceTimeoutMs;
    private final long requestTimeoutMs;
    private final ConcurrentMap<String, ConsumerInstance> instances = new ConcurrentHashMap<>();
    private final ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rest-proxy-consumer-expiry");
        t.setDaemon(true);
        return t;
    });

    public ConsumerInstances(Map<String, Object> consumerProperties, long instanceTimeoutMs, long requestTimeoutMs) {
        this.consumerProperties = consumerProperties;
        this.instanceTimeoutMs = instanceTimeoutMs;
        this.requestTimeoutMs = requestTimeoutMs;
        long period = Math.max(100, Math.min(instanceTimeoutMs / 4, 10_000));
        expiry.scheduleWithFixedDelay(this::expireIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates an instance from Confluent's request ({@code name}, {@code format}, {@code auto.offset.reset},
     * {@code auto.commit.enable}, {@code fetch.min.bytes}, {@code consumer.request.timeout.ms}): 40902 when the group
     * has one of that name, 42204 for a setting Kafka refuses.
     */
    public ConsumerInstance create(String group, JsonObject request) {
        String name = request.getString("name");
        if (name == null || name.isEmpty()) {
            name = "rest-consumer-" + UUID.randomUUID();
        }
        String formatName = request.getString("format", "binary");
        EmbeddedFormat format = EmbeddedFormat.ofName(formatName);
        if (format == null) {
            throw RestErrors.invalidConsumerConfig("format must be binary, json or avro, not " + formatName);
        }
        Map<String, Object> properties = new HashMap<>(consumerProperties);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "rest-proxy-" + group + "-" + name);
        String reset = request.getString("auto.offset.reset");
        if (reset != null) {
            if (!OFFSET_RESETS.contains(reset)) {
                throw RestErrors.invalidConsumerConfig("auto.offset.reset must be one of " + OFFSET_RESETS);
            }
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
        }
        Object autoCommit = request.getValue("auto.commit.enable");
        if (autoCommit != null) {
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, booleanSetting("auto.commit.enable", autoCommit));
        }
        Object fetchMinBytes = request.getValue("fetch.min.bytes");
        if (fetchMinBytes != null) {
            properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(fetchMinBytes));
        }
        long timeout = requestTimeoutMs;
        Object requestTimeout = request.getValue("consumer.request.timeout.ms");
        if (requestTimeout != null) {
            timeout = positive("consumer.request.timeout.ms", requestTimeout);
        }
        String key = key(group, name);
        if (instances.containsKey(key)) {
            throw RestErrors.consumerAlreadyExists();
        }
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw RestErrors.invalidConsumerConfig(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        ConsumerInstance instance = new ConsumerInstance(group, name, format, timeout, consumer);
        if (instances.putIfAbsent(key, instance) != null) {
            instance.close();
            throw RestErrors.consumerAlreadyExists();
        }
        return instance;
    }

    /** The instance, 40403 when there is none. */
    public ConsumerInstance get(String group, String name) {
        ConsumerInstance instance = instances.get(key(group, name));
        if (instance == null) {
            throw RestErrors.consumerInstanceNotFound();
        }
        return instance;
    }

    /** Closes the instance (it leaves its group); 40403 when there is none. */
    public CompletableFuture<Void> delete(String group, String name) {
        ConsumerInstance instance = instances.remove(key(group, name));
        if (instance == null) {
            throw RestErrors.consumerInstanceNotFound();
        }
        return instance.close();
    }

    private void expireIdle() {
        instances.forEach((key, instance) -> {
            if (instance.idleLongerThan(instanceTimeoutMs) && instances.remove(key, instance)) {
                LOG.info("Consumer instance {} of group {} unused for {} ms: closed", instance.name(),
                        instance.group(), instanceTimeoutMs);
                instance.close();
            }
        });
    }

    private static String key(String group, String name) {
        return group + "\u0000" + name;
    }

    private static String booleanSetting(String key, Object value) {
        String text = String.valueOf(value);
        if (!text.equals("true") && !text.equals("false")) {
            throw RestErrors.invalidConsumerConfig(key + " must be true or false");
        }
        return text;
    }

    private static long positive(String key, Object value) {
        try {
            long parsed = Long.parseLong(String.valueOf(value));
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RestErrors.invalidConsumerConfig(key + " must be a positive integer");
    }

    /** Closes every instance, waiting a bounded time for them to leave their groups. */
    @Override
    public void close() {
        expiry.shutdownNow();
        List<CompletableFuture<Void>> closing = instances.values().stream().map(ConsumerInstance::close).toList();
        instances.clear();
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT_SECONDS,
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Consumer instances did not all close cleanly", e);
        }
    }
}
