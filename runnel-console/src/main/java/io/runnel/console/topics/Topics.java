package io.runnel.console.topics;

import static io.runnel.console.ConsoleClients.await;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/** What several pages ask the cluster about topics: their descriptions and their partitions' offsets. */
public final class Topics {
    private Topics() {
    }

    /** Every topic, internal ones included, by name. */
    public static Map<String, TopicDescription> describeAll(Admin admin) {
        Collection<String> names = await(admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
        return new TreeMap<>(await(admin.describeTopics(names).allTopicNames()));
    }

    public static TopicDescription describe(Admin admin, String topic) {
        return await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    }

    /** Fewer in-sync replicas than replicas. */
    public static boolean underReplicated(TopicPartitionInfo partition) {
        return partition.isr().size() < partition.replicas().size();
    }

    public static List<TopicPartition> partitions(TopicDescription topic) {
        return topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())).toList();
    }

    /** Each partition's offset for {@code spec} (earliest, latest, a timestamp's: -1 when none is that late). */
    public static Map<TopicPartition, Long> offsets(Admin admin, Collection<TopicPartition> partitions,
                                                    OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
        partitions.forEach(p -> asked.put(p, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (asked.isEmpty()) {
            return offsets;
        }
        Map<TopicPartition, ListOffsetsResultInfo> answers = await(admin.listOffsets(asked).all());
        answers.forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }
}
