package io.runnel.console.groups;

import static io.runnel.console.ConsoleClients.await;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Consumer groups' committed offsets and their lag: how far each is behind the end of the log. */
public final class GroupOffsets {
    private GroupOffsets() {
    }

    /** The ids of every consumer group (classic and consumer protocol), sorted. */
    public static List<String> consumerGroupIds(Admin admin) {
        return await(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()).stream()
                .map(GroupListing::groupId).sorted().toList();
    }

    /** Each group's committed offsets, by group id. */
    public static Map<String, Map<TopicPartition, OffsetAndMetadata>> committed(Admin admin,
                                                                              Collection<String> groups) {
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
        if (specs.isEmpty()) {
            return committed;
        }
        await(admin.listConsumerGroupOffsets(specs).all()).forEach((group, offsets) -> {
            Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
            // A partition the group has no offset for answers null.
            offsets.forEach((p, o) -> {
                if (o != null) {
                    present.put(p, o);
                }
            });
            committed.put(group, present);
        });
        return committed;
    }

    public static Map<TopicPartition, OffsetAndMetadata> onTopic(Map<TopicPartition, OffsetAndMetadata> offsets,
                                                                 String topic) {
        Map<TopicPartition, OffsetAndMetadata> selected = new HashMap<>();
        offsets.forEach((p, o) -> {
            if (p.topic().equals(topic)) {
                selected.put(p, o);
            }
        });
        return selected;
    }

    /** End offset minus committed offset, never negative; a partition whose end is unknown counts 0. */
    public static long lag(OffsetAndMetadata committed, Long end) {
        return end == null ? 0 : Math.max(0, end - committed.offset());
    }

    public static long totalLag(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> end) {
        return committed.entrySet().stream().mapToLong(e -> lag(e.getValue(), end.get(e.getKey()))).sum();
    }
}
