package io.runnel.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel reassign-partitions}: kafka-reassign-partitions.sh, proposing, starting, checking, listing and
 * cancelling partition reassignments, with the inter-broker throttle, printing what Kafka's tool prints.
 */
@Command(name = "reassign-partitions", mixinStandardHelpOptions = true,
        description = "Move topic partitions between brokers.")
final class ReassignPartitionsCommand implements Callable<Integer> {
    private static final String EXISTING_REASSIGNMENT = "Cannot execute because there is an existing partition "
            + "assignment.  Use --additional to override this and create a new partition assignment in addition to "
            + "the existing one. The --additional flag can also be used to change the throttle by resubmitting the "
            + "current reassignment.";

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @ArgGroup(multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--generate", required = true, description = "Propose an assignment of the topics of "
                + "--topics-to-move-json-file over --broker-list; changes nothing.")
        boolean generate;

        @Option(names = "--execute", required = true, description = "Start the reassignment of "
                + "--reassignment-json-file.")
        boolean execute;

        @Option(names = "--verify", required = true, description = "Report whether the reassignment of "
                + "--reassignment-json-file is complete, and remove the throttles once it is.")
        boolean verify;

        @Option(names = "--cancel", required = true, description = "Cancel the reassignments of "
                + "--reassignment-json-file that are in progress.")
        boolean cancel;

        @Option(names = "--list", required = true, description = "List the reassignments in progress.")
        boolean list;
    }

    @Option(names = "--topics-to-move-json-file", paramLabel = "FILE",
            description = "The topics to move, as {\"topics\":[{\"topic\":\"foo\"}],\"version\":1}.")
    Path topicsFile;

    @Option(names = "--broker-list", paramLabel = "IDS", description = "The brokers to propose, e.g. 1,2,3.")
    String brokerList;

    @Option(names = "--reassignment-json-file", paramLabel = "FILE", description = "The reassignment, as "
            + "{\"version\":1,\"partitions\":[{\"topic\":\"foo\",\"partition\":0,\"replicas\":[1,2]}]}.")
    Path reassignmentFile;

    @Option(names = "--throttle", paramLabel = "BYTES_PER_SECOND", defaultValue = "-1",
            description = "The inter-broker replication rate of the moving replicas while they move.")
    long throttle;

    @Option(names = "--replica-alter-log-dirs-throttle", paramLabel = "BYTES_PER_SECOND", defaultValue = "-1",
            description = "The rate of moves between a broker's log directories while they move.")
    long logDirThrottle;

    @Option(names = "--additional", description = "Execute even while other reassignments are in progress.")
    boolean additional;

    @Option(names = "--preserve-throttles", description = "Leave the throttles in place on --verify and --cancel.")
    boolean preserveThrottles;

    @Option(names = "--disable-rack-aware", description = "Propose assignments without rack information.")
    boolean disableRackAware;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "10000",
            description = "How long to wait for log directory moves to start.")
    long timeoutMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(connection.adminProperties())) {
            if (action.generate) {
                generate(admin, out);
            } else if (action.execute) {
                return execute(admin, out);
            } else if (action.verify) {
                verify(admin, out);
            } else if (action.cancel) {
                return cancel(admin, out);
            } else {
                list(admin, out);
            }
        }
        return 0;
    }

    private void generate(Admin admin, PrintWriter out) throws Exception {
        List<String> topics = ReassignmentJson.parseTopics(Files.readString(required(topicsFile,
                "--topics-to-move-json-file")));
        List<Integer> brokers = brokerIds(required(brokerList, "--broker-list"));
        Set<Integer> live = liveBrokers(admin);
        List<Integer> usable = brokers.stream().filter(live::contains).sorted().toList();
        Map<TopicPartition, List<Integer>> current = assignments(admin, new TreeSet<>(topics));
        Map<TopicPartition, List<Integer>> proposed = new HashMap<>();
        Map<String, List<TopicPartition>> byTopic = current.keySet().stream()
                .collect(Collectors.groupingBy(TopicPartition::topic));
        byTopic.forEach((topic, partitions) -> {
            int rf = current.get(new TopicPartition(topic, 0)).size();
            if (rf > usable.size()) {
                throw new IllegalArgumentException("Replication factor: " + rf + " larger than available brokers: "
                        + usable.size() + ".");
            }
            int start = ThreadLocalRandom.current().nextInt(usable.size());
            for (TopicPartition tp : partitions) {
                List<Integer> replicas = new ArrayList<>(rf);
                for (int i = 0; i < rf; i++) {
                    replicas.add(usable.get((start + tp.partition() + i) % usable.size()));
                }
                proposed.put(tp, replicas);
            }
        });
        out.printf("Current partition replica assignment%n%s%n%n", ReassignmentJson.format(current));
        out.printf("Proposed partition reassignment configuration%n%s%n", ReassignmentJson.format(proposed));
    }

    private int execute(Admin admin, PrintWriter out) throws Exception {
        ReassignmentJson.Reassignment reassignment = targets();
        Map<TopicPartition, List<Integer>> targets = reassignment.replicas();
        Map<TopicPartition, PartitionReassignment> ongoing = admin.listPartitionReassignments().reassignments().get();
        if (!additional && !ongoing.isEmpty()) {
            out.println(EXISTING_REASSIGNMENT);
            return 1;
        }
        Set<Integer> live = liveBrokers(admin);
        Optional<Integer> unknown = targets.values().stream().flatMap(List::stream).filter(b -> !live.contains(b))
                .findFirst();
        if (unknown.isPresent()) {
            throw new IllegalArgumentException("Unknown broker id " + unknown.get());
        }
        Map<TopicPartition, List<Integer>> current = assignments(admin,
                targets.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet()));
        current.keySet().retainAll(targets.keySet());
        List<String> missing = targets.keySet().stream().filter(tp -> !current.containsKey(tp))
                .map(TopicPartition::toString).toList();
        if (!missing.isEmpty()) {
            throw new UnknownTopicOrPartitionException("Unable to find partition: " + String.join(", ", missing));
        }
        out.printf("Current partition replica assignment%n%n%s%n%nSave this to use as the "
                + "--reassignment-json-file option during rollback%n", ReassignmentJson.format(current));
        if (throttle >= 0 || logDirThrottle >= 0) {
            out.println("Warning: You must run --verify periodically, until the reassignment completes, to ensure "
                    + "the throttle is removed.");
            if (throttle >= 0) {
                ReassignmentThrottles.set(admin, ongoing, targets, current, throttle);
                out.println("The inter-broker throttle limit was set to " + throttle + " B/s");
            }
            if (logDirThrottle >= 0) {
                ReassignmentThrottles.setLogDirRate(admin, reassignment.logDirs().keySet().stream()
                        .map(TopicPartitionReplica::brokerId).collect(Collectors.toSet()), logDirThrottle);
                out.println("The replica-alter-dir throttle limit was set to " + logDirThrottle + " B/s");
            }
        }
        Map<TopicPartition, Optional<NewPartitionReassignment>> requests = new HashMap<>();
        targets.forEach((tp, replicas) -> requests.put(tp, Optional.of(new NewPartitionReassignment(replicas))));
        Map<TopicPartition, Throwable> errors = errors(admin.alterPartitionReassignments(requests).values());
        if (!errors.isEmpty()) {
            out.printf("Error reassigning partition(s):%n%s%n", describe(errors));
            return 1;
        }
        out.printf("Successfully started partition reassignment%s for %s%n", targets.size() == 1 ? "" : "s",
                sorted(targets.keySet()));
        return reassignment.logDirs().isEmpty() ? 0 : LogDirMoves.start(admin, reassignment.logDirs(), timeoutMs, out);
    }

    private void verify(Admin admin, PrintWriter out) throws Exception {
        ReassignmentJson.Reassignment reassignment = targets();
        Map<TopicPartition, List<Integer>> targets = reassignment.replicas();
        Map<TopicPartition, PartitionReassignment> ongoing = admin.listPartitionReassignments().reassignments().get();
        Map<TopicPartition, List<Integer>> current = assignments(admin,
                targets.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet()));
        out.println("Status of partition reassignment:");
        Map<TopicPartition, List<Integer>> sortedTargets = new TreeMap<>(ReassignmentJson.ORDER);
        sortedTargets.putAll(targets);
        sortedTargets.forEach((tp, target) -> {
            List<Integer> replicas = current.getOrDefault(tp, List.of());
            if (ongoing.containsKey(tp)) {
                out.printf("Reassignment of partition %s is still in progress.%n", tp);
            } else if (replicas.equals(target)) {
                out.printf("Reassignment of partition %s is completed.%n", tp);
            } else {
                out.printf("There is no active reassignment of partition %s, but replica set is %s rather than %s.%n",
                        tp, joined(replicas), joined(target));
            }
        });
        boolean movesOngoing = LogDirMoves.verify(admin, reassignment.logDirs(), out);
        if (ongoing.isEmpty() && !movesOngoing && !preserveThrottles) {
            ReassignmentThrottles.clear(admin, liveBrokers(admin), targets, out);
        }
    }

    private int cancel(Admin admin, PrintWriter out) throws Exception {
        ReassignmentJson.Reassignment reassignment = targets();
        Map<TopicPartition, List<Integer>> targets = reassignment.replicas();
        Set<TopicPartition> active = new TreeSet<>(ReassignmentJson.ORDER);
        active.addAll(admin.listPartitionReassignments(targets.keySet()).reassignments().get().keySet());
        if (active.isEmpty()) {
            out.println("None of the specified partition reassignments are active.");
        } else {
            Map<TopicPartition, Optional<NewPartitionReassignment>> requests = new HashMap<>();
            active.forEach(tp -> requests.put(tp, Optional.empty()));
            Map<TopicPartition, Throwable> errors = errors(admin.alterPartitionReassignments(requests).values());
            if (!errors.isEmpty()) {
                out.printf("Error cancelling partition reassignment%s for:%n%s%n", errors.size() == 1 ? "" : "s",
                        describe(errors));
                return 1;
            }
            out.printf("Successfully cancelled partition reassignment%s for: %s%n", active.size() == 1 ? "" : "s",
                    sorted(active));
        }
        Map<TopicPartitionReplica, String> moving = LogDirMoves.currentDirsOfActive(admin, reassignment.logDirs());
        if (moving.isEmpty()) {
            out.println("None of the specified partition moves are active.");
        } else if (LogDirMoves.start(admin, moving, timeoutMs, out) != 0) {
            return 1;
        }
        if (!preserveThrottles) {
            ReassignmentThrottles.clear(admin, liveBrokers(admin), targets, out);
        }
        return 0;
    }

    private static void list(Admin admin, PrintWriter out) throws Exception {
        Map<TopicPartition, PartitionReassignment> ongoing = new TreeMap<>(ReassignmentJson.ORDER);
        ongoing.putAll(admin.listPartitionReassignments().reassignments().get());
        if (ongoing.isEmpty()) {
            out.println("No partition reassignments found.");
            return;
        }
        out.println("Current partition reassignments:");
        ongoing.forEach((tp, r) -> out.printf("%s: replicas: %s.%s%s%n", tp, joined(r.replicas()),
                r.addingReplicas().isEmpty() ? "" : " adding: " + joined(r.addingReplicas()) + ".",
                r.removingReplicas().isEmpty() ? "" : " removing: " + joined(r.removingReplicas()) + "."));
    }

    private ReassignmentJson.Reassignment targets() throws Exception {
        String json = Files.readString(required(reassignmentFile, "--reassignment-json-file"));
        try {
            return ReassignmentJson.parseReassignment(json);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Every partition's replicas, of each topic named; a missing topic is an error, as in Kafka's tool. */
    private static Map<TopicPartition, List<Integer>> assignments(Admin admin, Set<String> topics) throws Exception {
        Map<TopicPartition, List<Integer>> result = new HashMap<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : admin.describeTopics(topics).topicNameValues()
                .entrySet()) {
            TopicDescription description;
            try {
                description = e.getValue().get();
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new UnknownTopicOrPartitionException("Topic " + e.getKey() + " not found.");
                }
                throw failed;
            }
            description.partitions().forEach(p -> result.put(new TopicPartition(e.getKey(), p.partition()),
                    p.replicas().stream().map(Node::id).toList()));
        }
        return result;
    }

    private static Set<Integer> liveBrokers(Admin admin) throws Exception {
        return admin.describeCluster().nodes().get().stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private List<Integer> brokerIds(String list) {
        List<Integer> ids = new ArrayList<>();
        for (String id : list.split(",")) {
            try {
                ids.add(Integer.parseInt(id.trim()));
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--broker-list must be broker ids, not " + list);
            }
        }
        Set<Integer> duplicates = ids.stream().filter(i -> ids.indexOf(i) != ids.lastIndexOf(i))
                .collect(Collectors.toCollection(TreeSet::new));
        if (!duplicates.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Broker list contains duplicate entries: " + duplicates);
        }
        return ids;
    }

    private <T> T required(T value, String option) {
        if (value == null) {
            throw new ParameterException(spec.commandLine(), "Missing required argument \"[" + option + "]\"");
        }
        return value;
    }

    private static Map<TopicPartition, Throwable> errors(Map<TopicPartition, KafkaFuture<Void>> results)
            throws InterruptedException {
        Map<TopicPartition, Throwable> errors = new TreeMap<>(ReassignmentJson.ORDER);
        for (Map.Entry<TopicPartition, KafkaFuture<Void>> e : results.entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException failed) {
                errors.put(e.getKey(), failed.getCause());
            }
        }
        return errors;
    }

    private static String describe(Map<TopicPartition, Throwable> errors) {
        return errors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().getMessage())
                .collect(Collectors.joining(System.lineSeparator()));
    }

    private static String sorted(Set<TopicPartition> partitions) {
        return partitions.stream().sorted(ReassignmentJson.ORDER).map(TopicPartition::toString)
                .collect(Collectors.joining(","));
    }

    private static String joined(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
