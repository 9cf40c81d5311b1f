package io.runnel.broker.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code uniform} assignor (the default): balanced and sticky. Members keep the partitions of their current
 * assignment they are still subscribed to, unowned partitions go to the least loaded subscriber, then partitions move
 * from a member to a less loaded subscriber only while that reduces the imbalance by more than one partition.
 */
public final class UniformAssignor implements PartitionAssignor {
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                          Map<String, Assignment> current) {
        Map<String, Map<Uuid, Set<Integer>>> owned = new TreeMap<>();
        Map<String, Integer> load = new HashMap<>();
        subscriptions.keySet().forEach(member -> {
            owned.put(member, new HashMap<>());
            load.put(member, 0);
        });
        Map<TopicPartitionId, String> owners = new HashMap<>();
        current.forEach((member, assignment) -> {
            Set<Uuid> subscribed = subscriptions.get(member);
            if (subscribed == null) {
                return;
            }
            assignment.partitions().forEach((topic, parts) -> {
                Integer count = partitionCounts.get(topic);
                for (int p : parts) {
                    if (subscribed.contains(topic) && count != null && p < count
                            && owners.putIfAbsent(new TopicPartitionId(topic, p), member) == null) {
                        give(owned, load, member, topic, p);
                    }
                }
            });
        });
        List<TopicPartitionId> all = allPartitions(partitionCounts);
        Map<Uuid, List<String>> subscribers = subscribers(subscriptions);
        Comparator<String> byLoad = Comparator.comparing(load::get);
        for (TopicPartitionId tp : all) {
            List<String> eligible = subscribers.getOrDefault(tp.topicId(), List.of());
            if (!owners.containsKey(tp) && !eligible.isEmpty()) {
                String member = eligible.stream().min(byLoad).orElseThrow();
                owners.put(tp, member);
                give(owned, load, member, tp.topicId(), tp.partition());
            }
        }
        boolean moved = true;
        while (moved) {
            moved = false;
            for (TopicPartitionId tp : all) {
                String owner = owners.get(tp);
                if (owner == null) {
                    continue;
                }
                String lightest = subscribers.get(tp.topicId()).stream().min(byLoad).orElseThrow();
                if (load.get(owner) > load.get(lightest) + 1) {
                    owned.get(owner).get(tp.topicId()).remove(tp.partition());
                    load.merge(owner, -1, Integer::sum);
                    owners.put(tp, lightest);
                    give(owned, load, lightest, tp.topicId(), tp.partition());
                    moved = true;
                }
            }
        }
        Map<String, Assignment> result = new HashMap<>();
        owned.forEach((member, parts) -> result.put(member, Assignment.of(parts)));
        return result;
    }

    private static void give(Map<String, Map<Uuid, Set<Integer>>> owned, Map<String, Integer> load, String member,
                             Uuid topic, int partition) {
        owned.get(member).computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
        load.merge(member, 1, Integer::sum);
    }

    /** Every partition, in a stable order. */
    private static List<TopicPartitionId> allPartitions(Map<Uuid, Integer> partitionCounts) {
        List<TopicPartitionId> all = new ArrayList<>();
        new TreeMap<>(partitionCounts).forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartitionId(topic, p));
            }
        });
        return all;
    }

    /** Topic id to its subscribers sorted by member id, so ties break the same way every time. */
    private static Map<Uuid, List<String>> subscribers(Map<String, Set<Uuid>> subscriptions) {
        Map<Uuid, List<String>> result = new HashMap<>();
        new TreeMap<>(subscriptions).forEach((member, topics) ->
                topics.forEach(topic -> result.computeIfAbsent(topic, t -> new ArrayList<>()).add(member)));
        return result;
    }
}
