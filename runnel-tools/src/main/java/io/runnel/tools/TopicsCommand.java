package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code runnel topics}: kafka-topics.sh on the Admin client. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Create, list, describe, alter or delete topics.")
final class TopicsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--create", required = true, description = "Create a topic.")
        boolean create;
        @Option(names = "--list", required = true, description = "List the topics.")
        boolean list;
        @Option(names = "--describe", required = true, description = "Describe topics.")
        boolean describe;
        @Option(names = "--alter", required = true, description = "Add partitions to a topic or change its configs.")
        boolean alter;
        @Option(names = "--delete", required = true, description = "Delete topics.")
        boolean delete;
    }

    @Option(names = "--topic", description = "The topic; a regular expression except with --create.")
    String topic;

    @Option(names = "--partitions", description = "Partitions of the created topic, or the new count with --alter.")
    Integer partitions;

    @Option(names = "--replication-factor", description = "Replicas per partition of the created topic.")
    Short replicationFactor;

    @Option(names = "--config", paramLabel = "name=value",
            description = "A topic config of the created topic, or one to set with --alter (repeatable).")
    List<String> configs = new ArrayList<>();

    @Option(names = "--delete-config", paramLabel = "name", description = "With --alter: a topic config to remove (repeatable).")
    List<String> deleteConfigs = new ArrayList<>();

    @Option(names = "--replica-assignment", paramLabel = "b0:b1,b0:b1", description = "Replicas of each partition, in order.")
    String replicaAssignment;

    @Option(names = "--if-not-exists", description = "With --create: do nothing if the topic exists.")
    boolean ifNotExists;

    @Option(names = "--if-exists", description = "With --alter, --describe or --delete: do nothing if the topic does not exist.")
    boolean ifExists;

    @Option(names = "--exclude-internal", description = "With --list or --describe: leave out internal topics.")
    boolean excludeInternal;

    @Override
    public Integer call() throws Exception {
        checkArguments();
        Properties props = connection.adminProperties();
        try (Admin admin = Admin.create(props)) {
            if (action.create) {
                create(admin);
            } else if (action.list) {
                topics(admin).forEach(out()::println);
            } else if (action.describe) {
                describe(admin);
            } else if (action.alter) {
                for (String name : existingTopics(admin)) {
                    alter(admin, name);
                }
            } else {
                List<String> names = existingTopics(admin);
                if (!names.isEmpty()) {
                    admin.deleteTopics(names).all().get();
                }
            }
        }
        return 0;
    }

    private void checkArguments() {
        if (!action.list && topic == null) {
            throw usage("Missing required argument \"[topic]\"");
        }
        if (action.alter && partitions == null && configs.isEmpty() && deleteConfigs.isEmpty()) {
            throw usage("--alter needs --partitions, --config or --delete-config");
        }
        if (!action.alter && !deleteConfigs.isEmpty()) {
            throw usage("--delete-config applies only to --alter");
        }
        if (replicaAssignment != null && (partitions != null || replicationFactor != null)) {
            throw usage("Option \"[replica-assignment]\" can't be used with option \"[partitions]\" or \"[replication-factor]\"");
        }
        if (!action.create && (replicationFactor != null || replicaAssignment != null || ifNotExists)) {
            throw usage("--replication-factor, --replica-assignment and --if-not-exists apply only to --create");
        }
        if (!action.create && !action.alter && !configs.isEmpty()) {
            throw usage("--config applies only to --create and --alter");
        }
        if (ifExists && !(action.alter || action.delete || action.describe)) {
            throw usage("--if-exists applies only to --alter, --describe and --delete");
        }
    }

    private void create(Admin admin) throws InterruptedException, ExecutionException {
        NewTopic newTopic = replicaAssignment != null
                ? new NewTopic(topic, parseAssignment(replicaAssignment))
                : new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor));
        newTopic.configs(ClientProperties.parse(configs, "--config", spec).entrySet().stream()
                .collect(Collectors.toMap(e -> (String) e.getKey(), e -> (String) e.getValue())));
        if (topic.contains(".") || topic.contains("_")) {
            out().println("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') "
                    + "could collide. To avoid issues it is best to use either, but not both.");
        }
        try {
            admin.createTopics(List.of(newTopic)).all().get();
            out().println("Created topic " + topic + ".");
        } catch (ExecutionException e) {
            if (!(ifNotExists && e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** The partition count and then the configs, as the course's kafka-topics.sh --alter changes them. */
    private void alter(Admin admin, String name) throws InterruptedException, ExecutionException {
        if (partitions != null) {
            admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all().get();
        }
        if (configs.isEmpty() && deleteConfigs.isEmpty()) {
            return;
        }
        List<AlterConfigOp> ops = new ArrayList<>();
        ClientProperties.parse(configs, "--config", spec).forEach((k, v) ->
                ops.add(new AlterConfigOp(new ConfigEntry((String) k, (String) v), AlterConfigOp.OpType.SET)));
        deleteConfigs.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE)));
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, name), ops)).all().get();
        out().println("Updated config for topic " + name + ".");
    }

    private void describe(Admin admin) throws InterruptedException, ExecutionException {
        List<String> names = topic == null ? topics(admin) : existingTopics(admin);
        Map<String, TopicDescription> descriptions = new TreeMap<>(admin.describeTopics(names).allTopicNames().get());
        Map<String, String> configs = topicConfigs(admin, names);
        PrintWriter out = out();
        for (TopicDescription d : descriptions.values()) {
            List<TopicPartitionInfo> parts = d.partitions();
            out.println("Topic: " + d.name() + "\tTopicId: " + d.topicId() + "\tPartitionCount: " + parts.size()
                    + "\tReplicationFactor: " + (parts.isEmpty() ? 0 : parts.get(0).replicas().size())
                    + "\tConfigs: " + configs.getOrDefault(d.name(), ""));
            for (TopicPartitionInfo p : parts) {
                out.println("\tTopic: " + d.name() + "\tPartition: " + p.partition()
                        + "\tLeader: " + (p.leader() == null || p.leader().isEmpty() ? "none" : p.leader().id())
                        + "\tReplicas: " + ids(p.replicas()) + "\tIsr: " + ids(p.isr())
                        + "\tElr: " + ids(p.elr()) + "\tLastKnownElr: " + ids(p.lastKnownElr()));
            }
        }
    }

    /** The topic configs set on each topic (not the defaults), as Kafka prints them: k=v,k=v. */
    private static Map<String, String> topicConfigs(Admin admin, Collection<String> names)
            throws InterruptedException, ExecutionException {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).collect(Collectors.toList());
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedVersionException) {
                return Map.of();
            }
            throw e;
        }
        Map<String, String> result = new HashMap<>();
        configs.forEach((resource, config) -> result.put(resource.name(), config.entries().stream()
                .filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .map(entry -> entry.name() + "=" + entry.value())
                .collect(Collectors.joining(","))));
        return result;
    }

    /** The topics --topic selects (all without it), sorted. */
    private List<String> topics(Admin admin) throws InterruptedException, ExecutionException {
        Pattern pattern = topic == null ? null : Pattern.compile(topic);
        return admin.listTopics(new ListTopicsOptions().listInternal(!excludeInternal)).names().get().stream()
                .filter(name -> pattern == null || pattern.matcher(name).matches())
                .sorted().collect(Collectors.toList());
    }

    private List<String> existingTopics(Admin admin) throws InterruptedException, ExecutionException {
        List<String> names = topics(admin);
        if (names.isEmpty() && !ifExists) {
            throw new IllegalArgumentException("Topic '" + topic + "' does not exist as expected");
        }
        return names;
    }

    private Map<Integer, List<Integer>> parseAssignment(String assignment) {
        Map<Integer, List<Integer>> result = new TreeMap<>();
        String[] partitionReplicas = assignment.split(",");
        for (int p = 0; p < partitionReplicas.length; p++) {
            List<Integer> replicas = new ArrayList<>();
            for (String broker : partitionReplicas[p].split(":")) {
                try {
                    replicas.add(Integer.parseInt(broker.trim()));
                } catch (NumberFormatException e) {
                    throw usage("Invalid --replica-assignment '" + assignment + "': broker ids must be integers");
                }
            }
            if (replicas.stream().distinct().count() != replicas.size()) {
                throw usage("Invalid --replica-assignment '" + assignment + "': partition " + p + " repeats a broker");
            }
            result.put(p, replicas);
        }
        return result;
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(","));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
