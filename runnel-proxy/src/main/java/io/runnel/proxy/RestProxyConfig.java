package io.runnel.proxy;

import io.runnel.http.HttpEndpoints;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A REST proxy's settings, named as Confluent's kafka-rest.properties names them: {@code listeners}
 * (http://host:port or https://host:port, comma-separated) with the {@code ssl.*} settings of https listeners and
 * the {@code authentication.*} ones of basic authentication (see {@link HttpEndpoints}), {@code bootstrap.servers}, {@code schema.registry.url} (for the avro format),
 * {@code consumer.instance.timeout.ms} (an idle consumer instance is closed after it, 300000),
 * {@code consumer.request.timeout.ms} (how long a records request waits for data, 1000) and
 * {@code consumer.request.max.bytes} (what one records request returns at most, 67108864). Keys prefixed
 * {@code client.} go to every Kafka client, {@code producer.}, {@code consumer.} and {@code admin.} to one kind, without
 * the prefix, as Confluent does.
 */
public record RestProxyConfig(HttpEndpoints http, Map<String, Object> producerProperties,
                              Map<String, Object> consumerProperties, Map<String, Object> adminProperties,
                              String schemaRegistryUrl, long consumerInstanceTimeoutMs, long consumerRequestTimeoutMs,
                              long consumerRequestMaxBytes) {
    public static final long DEFAULT_INSTANCE_TIMEOUT_MS = 300_000;
    private static final long DEFAULT_REQUEST_TIMEOUT_MS = 1_000;
    private static final long DEFAULT_REQUEST_MAX_BYTES = 64L * 1024 * 1024;
    /** Settings of this proxy rather than of its clients, though they share the consumer's prefix. */
    private static final List<String> OWN = List.of("consumer.instance.timeout.ms", "consumer.request.timeout.ms",
            "consumer.request.max.bytes");

    public RestProxyConfig {
        producerProperties = Map.copyOf(producerProperties);
        consumerProperties = Map.copyOf(consumerProperties);
        adminProperties = Map.copyOf(adminProperties);
    }

    /** The proxy a broker runs beside itself: a client of its own listener and of its own schema registry, if any. */
    public static RestProxyConfig embedded(HttpEndpoints http, String bootstrapServers, String schemaRegistryUrl) {
        Map<String, Object> clients = Map.of("bootstrap.servers", bootstrapServers);
        return new RestProxyConfig(http, clients, clients, clients, schemaRegistryUrl,
                DEFAULT_INSTANCE_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_MAX_BYTES);
    }

    /** The same on plain http:// listeners without authentication. */
    public static RestProxyConfig embedded(List<InetSocketAddress> listeners, String bootstrapServers,
                                           String schemaRegistryUrl) {
        return embedded(HttpEndpoints.plain(listeners), bootstrapServers, schemaRegistryUrl);
    }

    /** From a kafka-rest.properties file's entries; names the key, the value and the rule when one is wrong. */
    public static RestProxyConfig parse(Map<String, String> properties) {
        String bootstrap = properties.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is required (host:port of the cluster)");
        }
        Map<String, Object> common = new HashMap<>();
        // Confluent's files often write PLAINTEXT://host:port; the Kafka clients take host:port.
        common.put("bootstrap.servers", bootstrap.replaceAll("(?i)[A-Z_]+://", ""));
        Map<String, Object> producer = new HashMap<>();
        Map<String, Object> consumer = new HashMap<>();
        Map<String, Object> admin = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith("client.")) {
                common.put(key.substring("client.".length()), value);
            } else if (key.startsWith("producer.")) {
                producer.put(key.substring("producer.".length()), value);
            } else if (key.startsWith("consumer.") && !OWN.contains(key)) {
                consumer.put(key.substring("consumer.".length()), value);
            } else if (key.startsWith("admin.")) {
                admin.put(key.substring("admin.".length()), value);
            }
        });
        String registry = properties.get("schema.registry.url");
        return new RestProxyConfig(HttpEndpoints.parse("", properties, "http://0.0.0.0:8082", "KafkaRest"),
                merged(common, producer), merged(common, consumer), merged(common, admin),
                registry == null || registry.isBlank() ? null : registry.trim(),
                positive(properties, "consumer.instance.timeout.ms", DEFAULT_INSTANCE_TIMEOUT_MS),
                positive(properties, "consumer.request.timeout.ms", DEFAULT_REQUEST_TIMEOUT_MS),
                positive(properties, "consumer.request.max.bytes", DEFAULT_REQUEST_MAX_BYTES));
    }

    private static Map<String, Object> merged(Map<String, Object> common, Map<String, Object> specific) {
        Map<String, Object> merged = new HashMap<>(common);
        merged.putAll(specific);
        return merged;
    }

    private static long positive(Map<String, String> properties, String key, long defaultValue) {
        String value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(key + "=" + value + " must be a positive integer");
    }
}
