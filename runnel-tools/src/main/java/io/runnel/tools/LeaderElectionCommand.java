package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code runnel leader-election}: kafka-leader-election.sh, asking the controller for preferred or unclean leader
 * elections and printing the results in Kafka's words.
 */
@Command(name = "leader-election", mixinStandardHelpOptions = true,
        description = "Elect preferred leaders, or leaders of leaderless partitions among out-of-sync replicas.")
final class LeaderElectionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Option(names = "--election-type", required = true, paramLabel = "TYPE",
            description = "preferred: elect the preferred replica where another leads; unclean: elect a replica "
                    + "outside the ISR where no leader is left.")
    String electionType;

    @ArgGroup(multiplicity = "1")
    Partitions partitions;

    static final class Partitions {
        @Option(names = "--all-topic-partitions", required = true, description = "Every partition of every topic.")
        boolean all;

        @ArgGroup(exclusive = false)
        OnePartition one;

        @Option(names = "--path-to-json-file", required = true, paramLabel = "FILE",
                description = "The partitions, as {\"partitions\":[{\"topic\":\"foo\",\"partition\":1}]}.")
        Path jsonFile;
    }

    static final class OnePartition {
        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic of the partition.")
        String topic;

        @Option(names = "--partition", required = true, paramLabel = "PARTITION", description = "The partition.")
        int partition;
    }

    @Override
    public Integer call() throws Exception {
        ElectionType type = electionType();
        Set<TopicPartition> named = partitions.all ? null : partitions.one != null
                ? Set.of(new TopicPartition(partitions.one.topic, partitions.one.partition))
                : parse(Files.readString(partitions.jsonFile));
        PrintWriter out = spec.commandLine().getOut();
        Map<TopicPartition, Optional<Throwable>> results;
        try (Admin admin = Admin.create(connection.adminProperties())) {
            results = admin.electLeaders(type, named).partitions().get();
        }
        List<TopicPartition> elected = new ArrayList<>();
        List<TopicPartition> notNeeded = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        results.forEach((tp, error) -> {
            if (error.isEmpty()) {
                elected.add(tp);
            } else if (error.get() instanceof ElectionNotNeededException) {
                notNeeded.add(tp);
            } else {
                failed.add("Error completing leader election (" + type + ") for partition: " + tp + ": " + error.get());
            }
        });
        if (!elected.isEmpty()) {
            out.println("Successfully completed leader election (" + type + ") for partitions " + joined(elected));
        }
        if (!notNeeded.isEmpty()) {
            out.println("Valid replica already elected for partitions " + joined(notNeeded));
        }
        failed.forEach(out::println);
        if (!failed.isEmpty()) {
            spec.commandLine().getErr().println(failed.size() + " replica(s) could not be elected");
            return 1;
        }
        return 0;
    }

    private ElectionType electionType() {
        return switch (electionType.toLowerCase(Locale.ROOT)) {
            case "preferred" -> ElectionType.PREFERRED;
            case "unclean" -> ElectionType.UNCLEAN;
            default -> throw usage("--election-type must be preferred or unclean, not " + electionType);
        };
    }

    private static String joined(List<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).collect(Collectors.joining(", "));
    }

    private Set<TopicPartition> parse(String json) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw usage("The election json file is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> file) || !(file.get("partitions") instanceof List<?> entries)) {
            throw usage("Replica election data is missing \"partitions\" field");
        }
        Set<TopicPartition> result = new LinkedHashSet<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> p) || !(p.get("topic") instanceof String topic)
                    || !(p.get("partition") instanceof Long partition)) {
                throw usage("Each partition of the election json file needs \"topic\" and \"partition\": " + entry);
            }
            TopicPartition tp = new TopicPartition(topic, partition.intValue());
            if (!result.add(tp)) {
                throw usage("Replica election data contains duplicate partitions: " + tp);
            }
        }
        return result;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
