package io.runnel.broker.group.consumer;

import org.apache.kafka.common.config.ConfigException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The broker settings of consumer-protocol groups, with Kafka's names and defaults:
 * {@code group.consumer.heartbeat.interval.ms}, {@code group.consumer.session.timeout.ms},
 * {@code group.consumer.max.size} and {@code group.consumer.assignors} (the first is the default).
 */
public record ConsumerGroupConfig(int heartbeatIntervalMs, int sessionTimeoutMs, int maxSize,
                                  List<PartitionAssignor> assignors) {
    public static final String HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String MAX_SIZE = "group.consumer.max.size";
    public static final String ASSIGNORS = "group.consumer.assignors";

    /** Assignors by the names Kafka accepts for them: the short name or Kafka's class name. */
    private static final Map<String, Supplier<PartitionAssignor>> KNOWN = Map.of(
            UniformAssignor.NAME, UniformAssignor::new,
            "org.apache.kafka.coordinator.group.assignor.UniformAssignor", UniformAssignor::new,
            RangeAssignor.NAME, RangeAssignor::new,
            "org.apache.kafka.coordinator.group.assignor.RangeAssignor", RangeAssignor::new);

    public ConsumerGroupConfig {
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new ConfigException(HEARTBEAT_INTERVAL_MS, heartbeatIntervalMs,
                    "must be lower than " + SESSION_TIMEOUT_MS + " (" + sessionTimeoutMs + ")");
        }
        assignors = List.copyOf(assignors);
    }

    public static ConsumerGroupConfig defaults() {
        return from(key -> null);
    }

    /** Reads the settings through {@code get} (null for an unset key). */
    public static ConsumerGroupConfig from(Function<String, String> get) {
        return new ConsumerGroupConfig(positive(get, HEARTBEAT_INTERVAL_MS, 5000), positive(get, SESSION_TIMEOUT_MS, 45000),
                positive(get, MAX_SIZE, Integer.MAX_VALUE), assignors(get.apply(ASSIGNORS)));
    }

    public PartitionAssignor defaultAssignor() {
        return assignors.get(0);
    }

    /** The configured assignor of that name, or null. */
    public PartitionAssignor assignor(String name) {
        return assignors.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }

    private static int positive(Function<String, String> get, String key, int defaultValue) {
        String value = get.apply(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, value, "must be a positive integer");
    }

    private static List<PartitionAssignor> assignors(String value) {
        if (value == null) {
            return List.of(new UniformAssignor(), new RangeAssignor());
        }
        List<PartitionAssignor> result = new ArrayList<>();
        for (String name : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            Supplier<PartitionAssignor> factory = KNOWN.get(name);
            if (factory == null) {
                throw new ConfigException(ASSIGNORS, value, "unknown assignor '" + name + "': use uniform or range");
            }
            result.add(factory.get());
        }
        if (result.isEmpty()) {
            throw new ConfigException(ASSIGNORS, value, "must name at least one assignor");
        }
        return result;
    }
}
