package io.runnel.broker.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/** An immutable set of partitions keyed by topic id: a member's current, pending or target assignment. */
public final class Assignment {
    public static final Assignment EMPTY = new Assignment(Map.of());

    private final Map<Uuid, Set<Integer>> partitions;

    private Assignment(Map<Uuid, Set<Integer>> partitions) {
        this.partitions = partitions;
    }

    /** A copy of {@code partitions}, without empty topics. */
    public static Assignment of(Map<Uuid, ? extends Set<Integer>> partitions) {
        Map<Uuid, Set<Integer>> copy = new HashMap<>();
        partitions.forEach((topic, parts) -> {
            if (!parts.isEmpty()) {
                copy.put(topic, Collections.unmodifiableSet(new TreeSet<>(parts)));
            }
        });
        return copy.isEmpty() ? EMPTY : new Assignment(Collections.unmodifiableMap(copy));
    }

    /** Topic id to its sorted partitions; never holds an empty set. */
    public Map<Uuid, Set<Integer>> partitions() {
        return partitions;
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    public boolean contains(Uuid topicId, int partition) {
        Set<Integer> parts = partitions.get(topicId);
        return parts != null && parts.contains(partition);
    }

    public int size() {
        return partitions.values().stream().mapToInt(Set::size).sum();
    }

    /** The partitions of this assignment also in {@code other}. */
    public Assignment intersect(Assignment other) {
        return filter((topic, p) -> other.contains(topic, p));
    }

    /** The partitions of this assignment not in {@code other}. */
    public Assignment minus(Assignment other) {
        return filter((topic, p) -> !other.contains(topic, p));
    }

    public Assignment filter(BiPredicate<Uuid, Integer> keep) {
        Map<Uuid, Set<Integer>> result = new HashMap<>();
        partitions.forEach((topic, parts) -> {
            for (int p : parts) {
                if (keep.test(topic, p)) {
                    result.computeIfAbsent(topic, t -> new TreeSet<>()).add(p);
                }
            }
        });
        return of(result);
    }

    public Assignment union(Assignment other) {
        Map<Uuid, Set<Integer>> result = new HashMap<>();
        for (Assignment a : new Assignment[]{this, other}) {
            a.partitions.forEach((topic, parts) -> result.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(parts));
        }
        return of(result);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment other && partitions.equals(other.partitions);
    }

    @Override
    public int hashCode() {
        return partitions.hashCode();
    }

    @Override
    public String toString() {
        return partitions.toString();
    }
}
