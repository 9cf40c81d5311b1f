package io.runnel.metadata.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A value of the topic configs {@code leader.replication.throttled.replicas} and
 * {@code follower.replication.throttled.replicas}, as Kafka writes them: {@code *} for every replica of the topic, or
 * a list of {@code partition:broker} replicas; empty for none.
 */
public final class ThrottledReplicas {
    public static final String LEADER_CONFIG = "leader.replication.throttled.replicas";
    public static final String FOLLOWER_CONFIG = "follower.replication.throttled.replicas";
    public static final ThrottledReplicas NONE = new ThrottledReplicas(false, Set.of());

    /** Kafka's rule for the two configs' values. */
    public static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            parse(name, value);
        }

        @Override
        public String toString() {
            return "[partitionId]:[brokerId],[partitionId]:[brokerId],... or *";
        }
    };

    private final boolean all;
    private final Set<Long> replicas;

    private ThrottledReplicas(boolean all, Set<Long> replicas) {
        this.all = all;
        this.replicas = replicas;
    }

    /** The parsed value of config {@code name}: a list of strings, or their comma-separated form. */
    public static ThrottledReplicas parse(String name, Object value) {
        List<?> entries = value instanceof List<?> list ? list
                : value == null || value.toString().isBlank() ? List.of() : List.of(value.toString().split(","));
        if (entries.size() == 1 && "*".equals(entries.get(0).toString().trim())) {
            return new ThrottledReplicas(true, Set.of());
        }
        Set<Long> replicas = new HashSet<>();
        for (Object entry : entries) {
            String[] parts = entry.toString().trim().split(":");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                replicas.add(key(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())));
            } catch (NumberFormatException e) {
                String written = entries.stream().map(Object::toString).collect(Collectors.joining(","));
                throw new ConfigException(name, written, name + " must be the literal '*' or a list of replicas in the "
                        + "following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...");
            }
        }
        return replicas.isEmpty() ? NONE : new ThrottledReplicas(false, Set.copyOf(replicas));
    }

    /** Whether broker {@code broker}'s replica of partition {@code partition} is throttled. */
    public boolean contains(int partition, int broker) {
        return all || replicas.contains(key(partition, broker));
    }

    private static long key(int partition, int broker) {
        return ((long) partition << 32) | (broker & 0xffffffffL);
    }
}
