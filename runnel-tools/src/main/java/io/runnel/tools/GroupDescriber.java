package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** {@code --describe} of kafka-consumer-groups.sh: offsets and lag, members, or state, in Kafka's columns. */
final class GroupDescriber {
    private static final Comparator<TopicPartition> BY_TOPIC_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Admin admin;
    private final PrintWriter out;

    GroupDescriber(Admin admin, PrintWriter out) {
        this.admin = admin;
        this.out = out;
    }

    /** GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID. */
    void offsets(String group) throws InterruptedException, ExecutionException {
        ConsumerGroupDescription description = describe(group);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, MemberDescription> owners = new TreeMap<>(BY_TOPIC_PARTITION);
        description.members().forEach(m -> m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m)));
        Map<TopicPartition, MemberDescription> rows = new TreeMap<>(BY_TOPIC_PARTITION);
        committed.keySet().forEach(tp -> rows.put(tp, null));
        rows.putAll(owners);
        Map<TopicPartition, Long> logEnd = logEndOffsets(rows.keySet());
        Table table = new Table("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG",
                "CONSUMER-ID", "HOST", "CLIENT-ID");
        rows.forEach((tp, member) -> {
            OffsetAndMetadata offset = committed.get(tp);
            Long end = logEnd.get(tp);
            table.row(group, tp.topic(), tp.partition(), offset == null ? "-" : offset.offset(), end == null ? "-" : end,
                    offset == null || end == null ? "-" : end - offset.offset(),
                    member == null ? "-" : member.consumerId(), member == null ? "-" : member.host(),
                    member == null ? "-" : member.clientId());
        });
        printWarnings(description);
        table.print(out);
    }

    /** GROUP CONSUMER-ID GROUP-INSTANCE-ID HOST CLIENT-ID #PARTITIONS, with assignments and epochs when verbose. */
    void members(String group, boolean verbose) throws InterruptedException, ExecutionException {
        ConsumerGroupDescription description = describe(group);
        boolean consumerProtocol = description.type() == GroupType.CONSUMER;
        Table table;
        if (!verbose) {
            table = new Table("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS");
        } else if (consumerProtocol) {
            table = new Table("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS",
                    "CURRENT-EPOCH", "CURRENT-ASSIGNMENT", "TARGET-EPOCH", "TARGET-ASSIGNMENT");
        } else {
            table = new Table("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT");
        }
        for (MemberDescription m : description.members().stream().sorted(Comparator.comparing(MemberDescription::consumerId)).toList()) {
            Object[] cells = {group, m.consumerId(), m.groupInstanceId().orElse("-"), m.host(), m.clientId(),
                    m.assignment().topicPartitions().size()};
            if (!verbose) {
                table.row(cells);
            } else if (consumerProtocol) {
                table.row(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5],
                        m.memberEpoch().map(String::valueOf).orElse("-"), assignment(m.assignment()),
                        description.targetAssignmentEpoch().map(String::valueOf).orElse("-"),
                        m.targetAssignment().map(GroupDescriber::assignment).orElse("-"));
            } else {
                table.row(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], assignment(m.assignment()));
            }
        }
        printWarnings(description);
        table.print(out);
    }

    /** GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS, with the epochs of consumer groups when verbose. */
    void state(String group, boolean verbose) throws InterruptedException, ExecutionException {
        ConsumerGroupDescription d = describe(group);
        Node c = d.coordinator();
        String coordinator = c == null ? "-" : c.host() + ":" + c.port() + "  (" + c.id() + ")";
        if (verbose && d.type() == GroupType.CONSUMER) {
            new Table("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH",
                    "#MEMBERS")
                    .row(group, coordinator, d.partitionAssignor(), d.groupState(), d.groupEpoch().map(String::valueOf).orElse("-"),
                            d.targetAssignmentEpoch().map(String::valueOf).orElse("-"), d.members().size())
                    .print(out);
        } else {
            new Table("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS")
                    .row(group, coordinator, d.partitionAssignor(), d.groupState(), d.members().size())
                    .print(out);
        }
    }

    private ConsumerGroupDescription describe(String group) throws InterruptedException, ExecutionException {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        if (description.groupState() == GroupState.DEAD) {
            throw new IllegalArgumentException("Consumer group '" + group + "' does not exist.");
        }
        return description;
    }

    private void printWarnings(ConsumerGroupDescription description) {
        GroupState state = description.groupState();
        if (state == GroupState.EMPTY || description.members().isEmpty()) {
            out.println("\nConsumer group '" + description.groupId() + "' has no active members.");
        } else if (Set.of(GroupState.PREPARING_REBALANCE, GroupState.COMPLETING_REBALANCE, GroupState.ASSIGNING,
                GroupState.RECONCILING).contains(state)) {
            out.println("\nWarning: Consumer group '" + description.groupId() + "' is rebalancing.");
        }
    }

    private Map<TopicPartition, Long> logEndOffsets(Set<TopicPartition> partitions) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> result = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : admin.listOffsets(request).all().get().entrySet()) {
            result.put(e.getKey(), e.getValue().offset());
        }
        return result;
    }

    /** Kafka's assignment column: topic:p,p;topic:p, or "-" when empty. */
    private static String assignment(MemberAssignment assignment) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        assignment.topicPartitions().stream().sorted(BY_TOPIC_PARTITION).forEach(tp ->
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        if (byTopic.isEmpty()) {
            return "-";
        }
        return byTopic.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
    }
}
