package io.runnel.registry;

import io.runnel.http.HttpEndpoints;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A registry's settings, named as Confluent's schema-registry.properties names them: {@code listeners}
 * (http://host:port or https://host:port, comma-separated) with the {@code ssl.*} settings of https listeners and
 * the {@code authentication.*} ones of basic authentication (see {@link HttpEndpoints}),
 * {@code kafkastore.bootstrap.servers}, {@code kafkastore.topic} (_schemas),
 * {@code kafkastore.topic.replication.factor} (3, capped at the number of brokers) and
 * {@code kafkastore.timeout.ms}; every other {@code kafkastore.*} key is passed to the Kafka clients without the
 * prefix (kafkastore.security.protocol, kafkastore.sasl.*), as Confluent does. Instances sharing a topic elect their
 * writer as {@link Leadership} says.
 */
public record RegistryConfig(HttpEndpoints http, Map<String, Object> clientProperties, String topic,
                             int replicationFactor, long timeoutMs, Leadership leadership) {
    public static final String DEFAULT_TOPIC = "_schemas";

    /**
     * Confluent's {@code schema.registry.group.id} (the group the instances elect their leader in),
     * {@code leader.eligibility} (false: this instance never leads and forwards every write) and {@code host.name}
     * (how the others reach this instance; null: the first listener's host, or this machine's name when that listens
     * on every interface).
     */
    public record Leadership(String groupId, boolean eligible, String hostName) {
        public static final Leadership DEFAULT = new Leadership("schema-registry", true, null);

        static Leadership parse(Map<String, String> properties) {
            String eligible = properties.getOrDefault("leader.eligibility", "true").trim();
            if (!eligible.equalsIgnoreCase("true") && !eligible.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("leader.eligibility=" + eligible + " must be true or false");
            }
            String host = properties.get("host.name");
            return new Leadership(properties.getOrDefault("schema.registry.group.id", DEFAULT.groupId()),
                    Boolean.parseBoolean(eligible), host == null || host.isBlank() ? null : host.trim());
        }
    }
    private static final String STORE = "kafkastore.";

    public RegistryConfig {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** The registry a broker runs beside itself, a client of its own listener. */
    public static RegistryConfig embedded(HttpEndpoints http, String bootstrapServers) {
        return new RegistryConfig(http, Map.of("bootstrap.servers", bootstrapServers), DEFAULT_TOPIC, 3, 60_000,
                Leadership.DEFAULT);
    }

    /** The same on plain http:// listeners without authentication. */
    public static RegistryConfig embedded(List<InetSocketAddress> listeners, String bootstrapServers) {
        return embedded(HttpEndpoints.plain(listeners), bootstrapServers);
    }

    /** From a schema-registry.properties file's entries; names the key, the value and the rule when one is wrong. */
    public static RegistryConfig parse(Map<String, String> properties) {
        String bootstrap = properties.get(STORE + "bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("kafkastore.bootstrap.servers is required (host:port of the cluster)");
        }
        Map<String, Object> clients = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(STORE) && !List.of("topic", "topic.replication.factor", "timeout.ms")
                    .contains(key.substring(STORE.length()))) {
                clients.put(key.substring(STORE.length()), value);
            }
        });
        // Confluent's files often write PLAINTEXT://host:port; the Kafka clients take host:port.
        clients.put("bootstrap.servers", bootstrap.replaceAll("(?i)[A-Z_]+://", ""));
        return new RegistryConfig(HttpEndpoints.parse("", properties, "http://0.0.0.0:8081", "SchemaRegistry"), clients,
                properties.getOrDefault(STORE + "topic", DEFAULT_TOPIC),
                positive(properties, STORE + "topic.replication.factor", "3"),
                positive(properties, STORE + "timeout.ms", "60000"), Leadership.parse(properties));
    }

    private static int positive(Map<String, String> properties, String key, String defaultValue) {
        String value = properties.getOrDefault(key, defaultValue);
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(key + "=" + value + " must be a positive integer");
    }
}
