package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.quota.ClientQuotaEntity;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * {@code runnel configs}: kafka-configs.sh for topics and brokers, describing and altering dynamic configs; for users,
 * their SCRAM credentials ({@link UserScramConfigs}); for users, client ids (both types given together for a user's
 * client) and their defaults, client quotas ({@link ClientQuotaConfigs}). As in kafka-configs.sh, the n-th
 * {@code --entity-name} or {@code --entity-default} names the entity of the n-th {@code --entity-type}.
 */
@Command(name = "configs", mixinStandardHelpOptions = true,
        description = "Describe or alter the dynamic configs of topics and brokers, users' SCRAM credentials, and the"
                + " client quotas of users and client ids.")
final class ConfigsCommand implements Callable<Integer> {
    private static final String TOPICS = "topics";
    private static final String BROKERS = "brokers";
    private static final String USERS = "users";
    private static final String CLIENTS = "clients";

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Option(names = "--entity-type", required = true, paramLabel = "topics|brokers|users|clients",
            description = "The kind of entity; users and clients may be given together.")
    List<String> entityTypes;

    @Option(names = "--entity-name", paramLabel = "NAME", description = "The topic name, broker id, user or client id.")
    List<String> entityNames = new ArrayList<>();

    @Option(names = "--entity-default", description = "The default of the entity type: the brokers' cluster-wide "
            + "dynamic configs, or the default user or client id of a quota.")
    boolean[] entityDefaults = new boolean[0];

    /** The first entity type, and its name (null for its default or when none is given). */
    private String entityType;
    private String entityName;
    private boolean entityDefault;
    /** Each type's name in the order given, null for a default. */
    private final List<String> names = new ArrayList<>();

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
        orderNames();
        entityType = entityTypes.get(0);
        entityDefault = !names.isEmpty() && names.get(0) == null;
        entityName = names.isEmpty() ? null : names.get(0);
        checkArguments();
        Map<String, String> toSet = parseAddConfigs();
        Properties props = connection.adminProperties();
        try (Admin admin = Admin.create(props)) {
            if (entityType.equals(USERS) || entityType.equals(CLIENTS)) {
                clients(admin, toSet);
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

    /** The names and defaults in the order they appear on the command line. */
    private void orderNames() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--entity-default")) {
                names.add(null);
            } else if (arg.equals("--entity-name") && i + 1 < args.size()) {
                names.add(args.get(++i));
            } else if (arg.startsWith("--entity-name=")) {
                names.add(arg.substring("--entity-name=".length()));
            }
        }
    }

    private void checkArguments() {
        for (String type : entityTypes) {
            if (!List.of(TOPICS, BROKERS, USERS, CLIENTS).contains(type)) {
                throw usage("Invalid entity type " + type + ", the entity type must be one of " + TOPICS + ", "
                        + BROKERS + ", " + USERS + ", " + CLIENTS);
            }
        }
        if (entityTypes.size() > 1 && !(entityTypes.size() == 2 && entityTypes.contains(USERS)
                && entityTypes.contains(CLIENTS))) {
            throw usage("Only the entity types " + USERS + " and " + CLIENTS + " may be given together");
        }
        if (names.size() > entityTypes.size()) {
            throw usage("--entity-name and --entity-default cannot be used together for one entity type");
        }
        if (entityDefault && entityType.equals(TOPICS)) {
            throw usage("--entity-default does not apply to --entity-type " + TOPICS);
        }
        if (entityName != null && entityType.equals(BROKERS) && !entityName.matches("\\d+")) {
            throw usage("The entity name for " + BROKERS + " must be a valid integer broker id, but it is: " + entityName);
        }
        if (action.alter) {
            if (names.size() < entityTypes.size()) {
                throw usage("An entity name must be specified with --alter of " + String.join(" and ", entityTypes));
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

    /**
     * Users and client ids: their client quotas, and for a single named user its SCRAM credentials, which
     * kafka-configs.sh also sets and describes as the user's configs.
     */
    private void clients(Admin admin, Map<String, String> toSet) throws InterruptedException, ExecutionException {
        PrintWriter out = spec.commandLine().getOut();
        List<String> quotaTypes = entityTypes.stream()
                .map(type -> type.equals(USERS) ? ClientQuotaEntity.USER : ClientQuotaEntity.CLIENT_ID).toList();
        Map<String, String> quotaNames = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            quotaNames.put(quotaTypes.get(i), names.get(i));
        }
        boolean scramUser = entityTypes.equals(List.of(USERS)) && !entityDefault;
        if (action.describe) {
            ClientQuotaConfigs.describe(admin, quotaTypes, quotaNames, true, out);
            if (scramUser) {
                UserScramConfigs.describe(admin, entityName == null ? List.of() : List.of(entityName), out);
            }
            return;
        }
        Map<String, String> quotas = new LinkedHashMap<>(toSet);
        Map<String, String> credentials = new LinkedHashMap<>();
        toSet.keySet().stream().filter(key -> !ClientQuotaConfigs.KEYS.contains(key))
                .forEach(key -> credentials.put(key, quotas.remove(key)));
        List<String> quotaDeletions = deleteConfigs.stream().filter(ClientQuotaConfigs.KEYS::contains).toList();
        List<String> credentialDeletions = deleteConfigs.stream().filter(k -> !ClientQuotaConfigs.KEYS.contains(k)).toList();
        try {
            if (!credentials.isEmpty() || !credentialDeletions.isEmpty()) {
                if (!scramUser) {
                    throw new IllegalArgumentException("Only client quotas (" + String.join(", ", ClientQuotaConfigs.KEYS)
                            + ") can be set here; SCRAM credentials belong to a named user alone");
                }
                UserScramConfigs.alter(admin, entityName, credentials, credentialDeletions);
            }
            if (!quotas.isEmpty() || !quotaDeletions.isEmpty()) {
                ClientQuotaConfigs.alter(admin, new ClientQuotaEntity(quotaNames), quotas, quotaDeletions);
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        List<String> described = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String type = entityTypes.get(i).equals(USERS) ? "user" : "client";
            described.add(names.get(i) == null ? "the default " + type : type + " " + names.get(i));
        }
        out.println("Completed updating config for " + String.join(", ", described) + ".");
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
