package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * {@code runnel configs}: kafka-configs.sh for topics and brokers, describing and altering dynamic configs, and for
 * users, their SCRAM credentials ({@link UserScramConfigs}).
 */
@Command(name = "configs", mixinStandardHelpOptions = true,
        description = "Describe or alter the dynamic configs of topics and brokers, and users' SCRAM credentials.")
final class ConfigsCommand implements Callable<Integer> {
    private static final String TOPICS = "topics";
    private static final String BROKERS = "brokers";
    private static final String USERS = "users";

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Option(names = "--entity-type", required = true, paramLabel = "topics|brokers|users", description = "The kind of entity.")
    String entityType;

    @Option(names = "--entity-name", paramLabel = "NAME", description = "The topic name, broker id or user name.")
    String entityName;

    @Option(names = "--entity-default", description = "The cluster-wide default of the brokers' dynamic configs.")
    boolean entityDefault;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--describe", required = true, description = "Show the configs.")
        boolean describe;
        @Option(names = "--alter", required = true, description = "Change the configs.")
        boolean alter;
    }

    @Option(names = "--all", description = "With --describe: every config, not only the dynamic ones.")
    boolean all;

    @Option(names = "--add-config", paramLabel = "k1=v1,k2=[v1,v2]", description = "Configs to set, comma-separated; "
            + "a list value goes in square brackets.")
    List<String> addConfigs = new ArrayList<>();

    @Option(names = "--delete-config", split = ",", paramLabel = "k1,k2", description = "Configs to remove.")
    List<String> deleteConfigs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        checkArguments();
        Map<String, String> toSet = parseAddConfigs();
        Properties props = connection.adminProperties();
        try (Admin admin = Admin.create(props)) {
            if (entityType.equals(USERS)) {
                users(admin, toSet);
            } else if (action.describe) {
                for (String entity : entities(admin)) {
                    describe(admin, entity);
                }
            } else {
                alter(admin, toSet);
            }
        }
        return 0;
    }

    private void checkArguments() {
        if (!List.of(TOPICS, BROKERS, USERS).contains(entityType)) {
            throw usage("Invalid entity type " + entityType + ", the entity type must be one of " + TOPICS + ", "
                    + BROKERS + ", " + USERS);
        }
        if (entityName != null && entityDefault) {
            throw usage("--entity-name and --entity-default cannot be used together");
        }
        if (entityDefault && !entityType.equals(BROKERS)) {
            throw usage("--entity-default applies only to --entity-type " + BROKERS);
        }
        if (entityName != null && entityType.equals(BROKERS) && !entityName.matches("\\d+")) {
            throw usage("The entity name for " + BROKERS + " must be a valid integer broker id, but it is: " + entityName);
        }
        if (action.alter) {
            if (entityName == null && !entityDefault) {
                throw usage("An entity name must be specified with --alter of " + entityType);
            }
            if (addConfigs.isEmpty() && deleteConfigs.isEmpty()) {
                throw usage("At least one of --add-config or --delete-config must be specified with --alter");
            }
        } else if (!addConfigs.isEmpty() || !deleteConfigs.isEmpty()) {
            throw usage("--add-config and --delete-config apply only to --alter");
        }
        if (all && !action.describe) {
            throw usage("--all applies only to --describe");
        }
    }

    private void users(Admin admin, Map<String, String> toSet) throws InterruptedException, ExecutionException {
        PrintWriter out = spec.commandLine().getOut();
        if (action.describe) {
            UserScramConfigs.describe(admin, entityName == null ? List.of() : List.of(entityName), out);
            return;
        }
        try {
            UserScramConfigs.alter(admin, entityName, toSet, deleteConfigs);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        out.println("Completed updating config for user " + entityName + ".");
    }

    /** The entities described: the one named, else every topic, or every broker then the cluster default "". */
    private List<String> entities(Admin admin) throws InterruptedException, ExecutionException {
        if (entityName != null || entityDefault) {
            return List.of(entityDefault ? "" : entityName);
        }
        if (entityType.equals(TOPICS)) {
            return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream().sorted().toList();
        }
        List<String> brokers = new ArrayList<>(admin.describeCluster().nodes().get().stream()
                .sorted(Comparator.comparingInt(Node::id)).map(Node::idString).toList());
        brokers.add("");
        return brokers;
    }

    private void describe(Admin admin, String entity) throws InterruptedException, ExecutionException {
        PrintWriter out = spec.commandLine().getOut();
        if (entity.isEmpty()) {
            out.println("Default configs for " + BROKERS + " in the cluster are:");
        } else {
            out.println((all ? "All" : "Dynamic") + " configs for " + singular() + " " + entity + " are:");
        }
        for (ConfigEntry entry : dynamicConfigs(admin, entity, all)) {
            String synonyms = entry.synonyms().stream()
                    .map(s -> s.source() + ":" + s.name() + "=" + s.value())
                    .collect(Collectors.joining(", "));
            out.println("  " + entry.name() + "=" + entry.value() + " sensitive=" + entry.isSensitive()
                    + " synonyms={" + synonyms + "}");
        }
    }

    /** The entity's configs set at its own level (all of them with {@code everything}), sorted by name. */
    private List<ConfigEntry> dynamicConfigs(Admin admin, String entity, boolean everything)
            throws InterruptedException, ExecutionException {
        ConfigResource resource = resource(entity);
        ConfigEntry.ConfigSource own = entityType.equals(TOPICS) ? ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                : entity.isEmpty() ? ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG
                : ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG;
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                .all().get().get(resource).entries().stream()
                .filter(e -> everything || e.source() == own)
                .sorted(Comparator.comparing(ConfigEntry::name))
                .toList();
    }

    private void alter(Admin admin, Map<String, String> toSet) throws InterruptedException, ExecutionException {
        String entity = entityDefault ? "" : entityName;
        Set<String> current = dynamicConfigs(admin, entity, false).stream().map(ConfigEntry::name)
                .collect(Collectors.toSet());
        List<String> missing = deleteConfigs.stream().filter(k -> !current.contains(k)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException("Invalid config(s): " + String.join(",", missing));
        }
        List<AlterConfigOp> ops = new ArrayList<>();
        toSet.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
        deleteConfigs.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE)));
        admin.incrementalAlterConfigs(Map.of(resource(entity), ops)).all().get();
        PrintWriter out = spec.commandLine().getOut();
        if (entity.isEmpty()) {
            out.println("Completed updating default config for " + BROKERS + " in the cluster.");
        } else {
            out.println("Completed updating config for " + singular() + " " + entity + ".");
        }
    }

    /** k=v pairs separated by commas outside square brackets; a bracketed value is a list, kept comma-separated. */
    private Map<String, String> parseAddConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        for (String option : addConfigs) {
            for (String pair : option.split("\\s*,\\s*(?=[^\\]]*(?:\\[|$))")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw usage("Invalid entity config: all configs to be added must be in the format \"key=val\".");
                }
                configs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).replaceAll("[\\[\\]]", "").trim());
            }
        }
        return configs;
    }

    private ConfigResource resource(String entity) {
        return new ConfigResource(entityType.equals(TOPICS) ? ConfigResource.Type.TOPIC : ConfigResource.Type.BROKER, entity);
    }

    private String singular() {
        return entityType.substring(0, entityType.length() - 1);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
