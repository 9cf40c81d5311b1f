package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** {@code runnel consumer-groups}: kafka-consumer-groups.sh on the Admin client. */
@Command(name = "consumer-groups", mixinStandardHelpOptions = true,
        description = "List, describe and delete consumer groups, reset or delete their offsets.")
final class ConsumerGroupsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--list", required = true, description = "List the groups.")
        boolean list;
        @Option(names = "--describe", required = true, description = "Describe groups: offsets and lag (default), --members or --state.")
        boolean describe;
        @Option(names = "--reset-offsets", required = true, description = "Reset the committed offsets of an inactive group.")
        boolean resetOffsets;
        @Option(names = "--delete", required = true, description = "Delete groups and their offsets.")
        boolean delete;
        @Option(names = "--delete-offsets", required = true, description = "Delete a group's offsets of topics.")
        boolean deleteOffsets;
    }

    @Option(names = "--group", paramLabel = "GROUP", description = "The group (repeatable with --describe and --delete).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--all-groups", description = "Every group, with --describe, --delete or --reset-offsets.")
    boolean allGroups;

    @Option(names = "--members", description = "With --describe: the members.")
    boolean members;

    @Option(names = "--verbose", description = "With --describe --members or --state: more details.")
    boolean verbose;

    @Option(names = "--offsets", description = "With --describe: the offsets and lag (the default).")
    boolean offsets;

    @Option(names = "--state", arity = "0..1", fallbackValue = "", paramLabel = "STATES",
            description = "With --describe: the group's state. With --list: show states, or only those listed (comma-separated).")
    String state;

    @Option(names = "--type", arity = "0..1", fallbackValue = "", paramLabel = "TYPES",
            description = "With --list: show types, or only those listed (classic, consumer).")
    String type;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "5000", description = "Timeout of the Admin calls.")
    int timeoutMs;

    @ArgGroup(exclusive = false)
    OffsetReset.Options reset = new OffsetReset.Options();

    @Override
    public Integer call() throws Exception {
        checkArguments();
        Properties props = connection.adminProperties();
        // Admin refuses an API timeout below the request timeout: --timeout bounds both.
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        try (Admin admin = Admin.create(props)) {
            if (action.list) {
                list(admin);
                return 0;
            }
            List<String> selected = allGroups ? listGroups(admin, null).stream().map(GroupListing::groupId).sorted().toList() : groups;
            if (action.describe) {
                GroupDescriber describer = new GroupDescriber(admin, out());
                for (String group : selected) {
                    if (members) {
                        describer.members(group, verbose);
                    } else if (state != null) {
                        describer.state(group, verbose);
                    } else {
                        describer.offsets(group);
                    }
                }
                return 0;
            }
            if (action.resetOffsets) {
                for (String group : selected) {
                    new OffsetReset(admin, out(), reset).run(group);
                }
                return 0;
            }
            return action.delete ? delete(admin, selected) : deleteOffsets(admin, selected.get(0));
        }
    }

    private void checkArguments() {
        if (!action.list && groups.isEmpty() && !allGroups) {
            throw usage("Option [" + actionName() + "] takes one of these options: [all-groups], [group]");
        }
        if (!groups.isEmpty() && allGroups) {
            throw usage("Option [group] can't be used with option [all-groups]");
        }
        if ((action.deleteOffsets) && (groups.size() != 1 || reset.topics.isEmpty())) {
            throw usage("Option [delete-offsets] takes the following options: [topic], [group]");
        }
        if ((members || offsets) && !action.describe) {
            throw usage("Options [members] and [offsets] apply only to [describe]");
        }
        if (verbose && !(action.describe && (members || state != null))) {
            throw usage("Option [verbose] applies only to [describe] with [members] or [state]");
        }
        if (Arrays.asList(members, offsets, state != null && action.describe).stream().filter(b -> b).count() > 1) {
            throw usage("Option [describe] takes at most one of these options: [members], [offsets], [state]");
        }
        if (type != null && !action.list) {
            throw usage("Option [type] applies only to [list]");
        }
        if (state != null && !state.isEmpty() && !action.list) {
            throw usage("Option [state] takes a value only with [list]");
        }
        if (action.resetOffsets) {
            reset.check(this::usage);
        } else if (reset.isScenarioOrModeSet()) {
            throw usage("The reset options apply only to [reset-offsets]");
        }
    }

    private String actionName() {
        return action.describe ? "describe" : action.resetOffsets ? "reset-offsets" : action.delete ? "delete" : "delete-offsets";
    }

    private void list(Admin admin) throws InterruptedException, ExecutionException {
        List<GroupListing> listings = new ArrayList<>(listGroups(admin, state));
        listings.sort(Comparator.comparing(GroupListing::groupId));
        PrintWriter out = out();
        if (state == null && type == null) {
            listings.forEach(l -> out.println(l.groupId()));
            return;
        }
        List<String> header = new ArrayList<>(List.of("GROUP"));
        if (type != null) {
            header.add("TYPE");
        }
        if (state != null) {
            header.add("STATE");
        }
        Table table = new Table(header.toArray(String[]::new));
        for (GroupListing l : listings) {
            List<Object> row = new ArrayList<>(List.of(l.groupId()));
            if (type != null) {
                row.add(l.type().map(GroupType::toString).orElse("Unknown"));
            }
            if (state != null) {
                row.add(l.groupState().map(GroupState::toString).orElse("Unknown"));
            }
            table.row(row.toArray());
        }
        table.print(out);
    }

    private List<GroupListing> listGroups(Admin admin, String states) throws InterruptedException, ExecutionException {
        ListGroupsOptions options = ListGroupsOptions.forConsumerGroups();
        if (states != null && !states.isEmpty()) {
            options.inGroupStates(parse(states, GroupState::parse, "state"));
        }
        if (type != null && !type.isEmpty()) {
            options.withTypes(parse(type, GroupType::parse, "type"));
        }
        return new ArrayList<>(admin.listGroups(options).all().get());
    }

    private <T> Set<T> parse(String values, java.util.function.Function<String, T> parser, String what) {
        Set<T> result = Arrays.stream(values.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(parser).collect(Collectors.toSet());
        if (result.stream().anyMatch(v -> v.toString().equalsIgnoreCase("Unknown"))) {
            throw usage("Invalid " + what + " list '" + values + "'");
        }
        return result;
    }

    private int delete(Admin admin, List<String> selected) throws InterruptedException {
        Map<String, KafkaFuture<Void>> results = admin.deleteConsumerGroups(selected).deletedGroups();
        Map<String, Throwable> failed = new LinkedHashMap<>();
        List<String> deleted = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> e : results.entrySet()) {
            try {
                e.getValue().get();
                deleted.add(e.getKey());
            } catch (ExecutionException ex) {
                failed.put(e.getKey(), ex.getCause());
            }
        }
        PrintWriter out = out();
        if (failed.isEmpty()) {
            out.println("Deletion of requested consumer groups (" + quoted(deleted) + ") was successful.");
            return 0;
        }
        out.println("Deletion of some consumer groups failed:");
        failed.forEach((group, error) -> out.println("* Group '" + group + "' could not be deleted due to: " + error));
        if (!deleted.isEmpty()) {
            out.println("\nThese consumer groups were deleted successfully: " + quoted(deleted));
        }
        return 1;
    }

    private int deleteOffsets(Admin admin, String group) throws InterruptedException, ExecutionException {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topicSpec : reset.topics) {
            partitions.addAll(partitionsOf(admin, topicSpec));
        }
        DeleteConsumerGroupOffsetsResult result = admin.deleteConsumerGroupOffsets(group, Set.copyOf(partitions));
        PrintWriter out = out();
        int exit = 0;
        try {
            result.all().get();
            out.println("Request succeed for deleting offsets from group " + group + ".");
        } catch (ExecutionException e) {
            spec.commandLine().getErr().println("Error: Encounter some partition level error, see the follow-up details: "
                    + e.getCause().getMessage());
            exit = 1;
        }
        Table table = new Table("TOPIC", "PARTITION", "STATUS");
        partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        for (TopicPartition tp : partitions) {
            String status;
            try {
                result.partitionResult(tp).get();
                status = "Successful";
            } catch (ExecutionException e) {
                status = "Error: " + e.getCause().getMessage();
            }
            table.row(tp.topic(), tp.partition(), status);
        }
        table.print(out);
        return exit;
    }

    /** The partitions of {@code topic} or {@code topic:0,1}, all of the topic's when none are named. */
    static List<TopicPartition> partitionsOf(Admin admin, String topicSpec) throws InterruptedException, ExecutionException {
        int colon = topicSpec.indexOf(':');
        String topic = colon < 0 ? topicSpec : topicSpec.substring(0, colon);
        List<TopicPartition> result = new ArrayList<>();
        if (colon >= 0) {
            for (String p : topicSpec.substring(colon + 1).split(",")) {
                try {
                    result.add(new TopicPartition(topic, Integer.parseInt(p.trim())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid partition '" + p + "' in '" + topicSpec + "'");
                }
            }
            return result;
        }
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        description.partitions().forEach(p -> result.add(new TopicPartition(topic, p.partition())));
        return result;
    }

    private static String quoted(List<String> groups) {
        return groups.stream().map(g -> "'" + g + "'").collect(Collectors.joining(", "));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
