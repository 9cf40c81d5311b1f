package io.runnel.broker.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code range} assignor: per topic, its subscribers sorted by member id each take a contiguous range of
 * partitions, the first {@code partitions % subscribers} one more. Co-partitioned topics land on the same members.
 */
public final class RangeAssignor implements PartitionAssignor {
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                          Map<String, Assignment> current) {
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        subscriptions.keySet().forEach(member -> result.put(member, new HashMap<>()));
        partitionCounts.forEach((topic, count) -> {
            List<String> subscribers = subscriptions.entrySet().stream()
                    .filter(e -> e.getValue().contains(topic)).map(Map.Entry::getKey).sorted().toList();
            if (subscribers.isEmpty()) {
                return;
            }
            int quota = count / subscribers.size();
            int extra = count % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int take = quota + (i < extra ? 1 : 0);
                Set<Integer> parts = new TreeSet<>();
                for (int p = next; p < next + take; p++) {
                    parts.add(p);
                }
                next += take;
                result.get(subscribers.get(i)).put(topic, parts);
            }
        });
        Map<String, Assignment> assignments = new HashMap<>();
        result.forEach((member, parts) -> assignments.put(member, Assignment.of(parts)));
        return assignments;
    }
}
