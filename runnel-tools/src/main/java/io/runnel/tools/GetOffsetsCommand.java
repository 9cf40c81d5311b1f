package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code runnel get-offsets}: kafka-get-offsets.sh, one {@code topic:partition:offset} line per partition. */
@Command(name = "get-offsets", mixinStandardHelpOptions = true,
        description = "Print the offsets of topic partitions at a point in time.")
final class GetOffsetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Option(names = "--topic", description = "The topics, as a regular expression; all topics without it.")
    String topic;

    @Option(names = "--partitions", split = ",", paramLabel = "P,P", description = "Only these partitions.")
    Set<Integer> partitions;

    @Option(names = "--time", defaultValue = "-1", paramLabel = "TIME", description = "-1 or latest, -2 or earliest, "
            + "-3 or max-timestamp, -4 or earliest-local, -5 or latest-tiered, or a timestamp in ms (default -1).")
    String time;

    @Option(names = "--exclude-internal-topics", description = "Leave out internal topics.")
    boolean excludeInternalTopics;

    @Override
    public Integer call() throws Exception {
        OffsetSpec offsetSpec = offsetSpec();
        Properties props = connection.adminProperties();
        try (Admin admin = Admin.create(props)) {
            List<TopicPartition> selected = selectedPartitions(admin);
            if (selected.isEmpty()) {
                throw new IllegalArgumentException("Could not match any topic-partitions with the specified filters");
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            selected.forEach(tp -> request.put(tp, offsetSpec));
            Map<TopicPartition, ListOffsetsResultInfo> offsets = admin.listOffsets(request).all().get();
            for (TopicPartition tp : selected) {
                long offset = offsets.get(tp).offset();
                // As Kafka's tool: a partition without an answer (no record at or after the timestamp) is not printed.
                if (offset >= 0) {
                    spec.commandLine().getOut().println(tp.topic() + ":" + tp.partition() + ":" + offset);
                }
            }
        }
        return 0;
    }

    private OffsetSpec offsetSpec() {
        return switch (time) {
            case "-1", "latest" -> OffsetSpec.latest();
            case "-2", "earliest" -> OffsetSpec.earliest();
            case "-3", "max-timestamp" -> OffsetSpec.maxTimestamp();
            case "-4", "earliest-local" -> OffsetSpec.earliestLocal();
            case "-5", "latest-tiered" -> OffsetSpec.latestTiered();
            default -> {
                try {
                    long timestamp = Long.parseLong(time);
                    if (timestamp < 0) {
                        throw new NumberFormatException();
                    }
                    yield OffsetSpec.forTimestamp(timestamp);
                } catch (NumberFormatException e) {
                    throw new ParameterException(spec.commandLine(), "Malformed time argument " + time + ". Please use "
                            + "-1 or latest, -2 or earliest, -3 or max-timestamp, -4 or earliest-local, "
                            + "-5 or latest-tiered, or a specified long format timestamp");
                }
            }
        };
    }

    /** The partitions the filters select, sorted by topic then partition. */
    private List<TopicPartition> selectedPartitions(Admin admin) throws Exception {
        Pattern pattern = topic == null ? null : Pattern.compile(topic);
        List<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(!excludeInternalTopics)).names().get()
                .stream().filter(name -> pattern == null || pattern.matcher(name).matches()).collect(Collectors.toList());
        List<TopicPartition> selected = new ArrayList<>();
        if (topics.isEmpty()) {
            return selected;
        }
        for (TopicDescription description : admin.describeTopics(topics).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : description.partitions()) {
                if (partitions == null || partitions.contains(p.partition())) {
                    selected.add(new TopicPartition(description.name(), p.partition()));
                }
            }
        }
        selected.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return selected;
    }
}
