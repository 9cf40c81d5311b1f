package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

/**
 * {@code runnel acls}: kafka-acls.sh, adding, removing and listing ACLs through the Admin client with its flags,
 * checks and output ({@code Current ACLs for resource `ResourcePattern(...)`:} then a tab and each entry).
 */
@Command(name = "acls", mixinStandardHelpOptions = true, description = "Add, remove or list ACLs.")
final class AclsCommand implements Callable<Integer> {
    private static final String CLUSTER_NAME = "kafka-cluster";

    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Option(names = "--add", description = "Add ACLs.")
    boolean add;

    @Option(names = "--remove", description = "Remove ACLs.")
    boolean remove;

    @Option(names = "--list", description = "List ACLs of the given resources, or all.")
    boolean list;

    @Option(names = "--allow-principal", paramLabel = "PRINCIPAL", description = "Type:name, e.g. User:alice; User:* is every user.")
    List<String> allowPrincipals = new ArrayList<>();

    @Option(names = "--deny-principal", paramLabel = "PRINCIPAL", description = "Type:name; DENY wins over ALLOW.")
    List<String> denyPrincipals = new ArrayList<>();

    @Option(names = "--allow-host", paramLabel = "HOST", description = "Host of the allowed principals (default *).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--deny-host", paramLabel = "HOST", description = "Host of the denied principals (default *).")
    List<String> denyHosts = new ArrayList<>();

    @Option(names = "--operation", paramLabel = "OPERATION", description = "Read, Write, Create, Delete, Alter, "
            + "Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite or All (default All).")
    List<String> operations = new ArrayList<>();

    @Option(names = "--topic", paramLabel = "TOPIC", description = "A topic; * is every topic.")
    List<String> topics = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP", description = "A consumer group; * is every group.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--cluster", description = "The cluster.")
    boolean cluster;

    @Option(names = "--transactional-id", paramLabel = "ID", description = "A transactional id; * is every one.")
    List<String> transactionalIds = new ArrayList<>();

    @Option(names = "--resource-pattern-type", paramLabel = "TYPE", defaultValue = "literal",
            description = "literal or prefixed when adding; also any or match when listing or removing.")
    String resourcePatternType;

    @Option(names = "--producer", description = "The ACLs of a producer: WRITE, DESCRIBE, CREATE on the topics, "
            + "WRITE, DESCRIBE on the transactional ids.")
    boolean producer;

    @Option(names = "--consumer", description = "The ACLs of a consumer: READ, DESCRIBE on the topics, READ on the group.")
    boolean consumer;

    @Option(names = "--idempotent", description = "With --producer: IDEMPOTENT_WRITE on the cluster.")
    boolean idempotent;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        checkArgs();
        PatternType patternType = patternType();
        if (add && !patternType.isSpecific()) {
            throw usage("A '--resource-pattern-type' value of '" + patternType + "' is not valid when adding acls.");
        }
        Set<ResourcePatternFilter> listed = list ? resourceFilters(patternType, false) : Set.of();
        Map<ResourcePatternFilter, Set<AccessControlEntry>> entries = list ? Map.of() : entriesByResource(patternType);
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(connection.adminProperties())) {
            if (list) {
                printAcls(out, admin, listed);
            } else if (add) {
                addAcls(out, admin, entries);
            } else {
                removeAcls(out, admin, entries);
            }
        }
        out.flush();
        return 0;
    }

    private void checkArgs() {
        if ((add ? 1 : 0) + (remove ? 1 : 0) + (list ? 1 : 0) != 1) {
            throw usage("Command must include exactly one action: --list, --add, --remove. ");
        }
        if (list && (producer || consumer || !allowHosts.isEmpty() || !allowPrincipals.isEmpty()
                || !denyHosts.isEmpty() || !denyPrincipals.isEmpty())) {
            throw usage("Option \"[list]\" can't be used with option \"[producer, consumer, allow-host, "
                    + "allow-principal, deny-host, deny-principal]\"");
        }
        if ((producer || consumer) && (!operations.isEmpty() || !denyPrincipals.isEmpty() || !denyHosts.isEmpty())) {
            throw usage("Option \"[" + (producer ? "producer" : "consumer") + "]\" can't be used with option "
                    + "\"[operation, deny-principal, deny-host]\"");
        }
        if (producer && topics.isEmpty()) {
            throw usage("With --producer you must specify a --topic");
        }
        if (idempotent && !producer) {
            throw usage("The --idempotent option is only available if --producer is set");
        }
        if (consumer && (topics.isEmpty() || groups.isEmpty()
                || !producer && (cluster || !transactionalIds.isEmpty()))) {
            throw usage("With --consumer you must specify a --topic and a --group and no --cluster or "
                    + "--transactional-id option should be specified.");
        }
    }

    private PatternType patternType() {
        PatternType type = PatternType.fromString(resourcePatternType.trim().toUpperCase(Locale.ROOT));
        if (type.isUnknown()) {
            throw usage("Unknown resource-pattern-type: " + resourcePatternType);
        }
        return type;
    }

    /** The resources the options name, as filters of {@code patternType}, in a stable order. */
    private Set<ResourcePatternFilter> resourceFilters(PatternType patternType, boolean required) {
        Set<ResourcePatternFilter> filters = new LinkedHashSet<>();
        topics.forEach(t -> filters.add(new ResourcePatternFilter(ResourceType.TOPIC, t.trim(), patternType)));
        if (patternType == PatternType.LITERAL && (cluster || idempotent)) {
            filters.add(clusterFilter());
        }
        groups.forEach(g -> filters.add(new ResourcePatternFilter(ResourceType.GROUP, g.trim(), patternType)));
        transactionalIds.forEach(id -> filters.add(new ResourcePatternFilter(ResourceType.TRANSACTIONAL_ID, id,
                patternType)));
        if (filters.isEmpty() && required) {
            throw usage("You must provide at least one resource: --topic <topic> or --cluster or --group <group> or "
                    + "--transactional-id <id>");
        }
        return filters;
    }

    private static ResourcePatternFilter clusterFilter() {
        return new ResourcePatternFilter(ResourceType.CLUSTER, CLUSTER_NAME, PatternType.LITERAL);
    }

    /** The ACL entries to add or remove on each resource, from the principal, host and operation options. */
    private Map<ResourcePatternFilter, Set<AccessControlEntry>> entriesByResource(PatternType patternType) {
        Map<ResourcePatternFilter, Set<AccessControlEntry>> entries = new LinkedHashMap<>();
        Set<ResourcePatternFilter> filters = resourceFilters(patternType, true);
        if (!producer && !consumer) {
            Set<AccessControlEntry> acls = entries(parsedOperations());
            filters.forEach(f -> entries.put(f, acls));
        }
        if (producer) {
            for (ResourcePatternFilter f : filters) {
                if (f.resourceType() == ResourceType.TOPIC) {
                    entries.put(f, entries(Set.of(WRITE, DESCRIBE, CREATE)));
                } else if (f.resourceType() == ResourceType.TRANSACTIONAL_ID) {
                    entries.put(f, entries(Set.of(WRITE, DESCRIBE)));
                }
            }
            if (idempotent) {
                entries.put(clusterFilter(), entries(Set.of(IDEMPOTENT_WRITE)));
            }
        }
        if (consumer) {
            for (ResourcePatternFilter f : filters) {
                if (f.resourceType() == ResourceType.TOPIC) {
                    entries.computeIfAbsent(f, k -> new LinkedHashSet<>()).addAll(entries(Set.of(READ, DESCRIBE)));
                } else if (f.resourceType() == ResourceType.GROUP) {
                    entries.computeIfAbsent(f, k -> new LinkedHashSet<>()).addAll(entries(Set.of(READ)));
                }
            }
        }
        entries.forEach(this::validateOperations);
        if (add && entries.values().stream().anyMatch(Set::isEmpty)) {
            throw usage("You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.");
        }
        return entries;
    }

    private Set<AclOperation> parsedOperations() {
        if (operations.isEmpty()) {
            return Set.of(AclOperation.ALL);
        }
        Set<AclOperation> parsed = new LinkedHashSet<>();
        for (String name : operations) {
            // Kafka's names are CamelCase (IdempotentWrite); the enum's are upper snake case.
            AclOperation operation = AclOperation.fromString(name.trim().replaceAll("([a-z])([A-Z])", "$1_$2")
                    .toUpperCase(Locale.ROOT));
            if (operation == AclOperation.UNKNOWN || operation == AclOperation.ANY) {
                throw usage("Invalid operation: " + name);
            }
            parsed.add(operation);
        }
        return parsed;
    }

    private Set<AccessControlEntry> entries(Set<AclOperation> operations) {
        Set<AccessControlEntry> entries = new LinkedHashSet<>();
        addEntries(entries, allowPrincipals, allowHosts, AclPermissionType.ALLOW, operations);
        addEntries(entries, denyPrincipals, denyHosts, AclPermissionType.DENY, operations);
        return entries;
    }

    private void addEntries(Set<AccessControlEntry> entries, List<String> principals, List<String> hosts,
                            AclPermissionType permission, Set<AclOperation> operations) {
        List<String> effectiveHosts = hosts.isEmpty() ? List.of("*") : hosts;
        for (String principal : principals) {
            if (principal.trim().indexOf(':') <= 0) {
                throw usage("principal must be of the form principalType:name, not " + principal);
            }
            for (AclOperation operation : operations) {
                for (String host : effectiveHosts) {
                    entries.add(new AccessControlEntry(principal.trim(), host.trim(), operation, permission));
                }
            }
        }
    }

    /** Kafka's operations of each resource type, ALL besides. */
    private void validateOperations(ResourcePatternFilter resource, Set<AccessControlEntry> entries) {
        Set<AclOperation> valid = new LinkedHashSet<>(switch (resource.resourceType()) {
            case TOPIC -> List.of(READ, WRITE, CREATE, DESCRIBE, AclOperation.DELETE, AclOperation.ALTER,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case GROUP -> List.of(READ, DESCRIBE, AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS);
            case CLUSTER -> List.of(CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS, IDEMPOTENT_WRITE, AclOperation.ALTER, DESCRIBE);
            case TRANSACTIONAL_ID -> List.of(DESCRIBE, WRITE);
            default -> List.of();
        });
        valid.add(AclOperation.ALL);
        if (entries.stream().anyMatch(e -> !valid.contains(e.operation()))) {
            throw usage(String.format("ResourceType %s only supports operations %s", resource.resourceType(), valid));
        }
    }

    private void addAcls(PrintWriter out, Admin admin, Map<ResourcePatternFilter, Set<AccessControlEntry>> entries)
            throws Exception {
        for (Map.Entry<ResourcePatternFilter, Set<AccessControlEntry>> e : entries.entrySet()) {
            ResourcePatternFilter f = e.getKey();
            ResourcePattern resource = new ResourcePattern(f.resourceType(), f.name(), f.patternType());
            Collection<AclBinding> existing = admin.describeAcls(new AclBindingFilter(f, AccessControlEntryFilter.ANY))
                    .values().get();
            List<AclBinding> bindings = new ArrayList<>();
            for (AccessControlEntry entry : e.getValue()) {
                AclBinding binding = new AclBinding(resource, entry);
                if (existing.contains(binding)) {
                    out.println("Acl " + binding + " already exists.");
                } else {
                    bindings.add(binding);
                }
            }
            if (!bindings.isEmpty()) {
                // Kafka's layout: the first entry after a space, each on its own line after a tab.
                out.println("Adding ACLs for resource `" + resource + "`: ");
                out.println(" " + String.join(System.lineSeparator(), bindings.stream().map(b -> "\t" + b.entry())
                        .toList()));
                out.println();
                admin.createAcls(bindings).all().get();
            }
        }
    }

    private void removeAcls(PrintWriter out, Admin admin, Map<ResourcePatternFilter, Set<AccessControlEntry>> entries)
            throws Exception {
        for (Map.Entry<ResourcePatternFilter, Set<AccessControlEntry>> e : entries.entrySet()) {
            ResourcePatternFilter filter = e.getKey();
            Set<AccessControlEntry> acls = e.getValue();
            String question = acls.isEmpty()
                    ? "Are you sure you want to delete all ACLs for resource filter `" + filter + "`? (y/n)"
                    : "Are you sure you want to remove ACLs: " + System.lineSeparator() + " "
                            + String.join(System.lineSeparator(), acls.stream().map(a -> "\t" + a).toList())
                            + System.lineSeparator() + " from resource filter `" + filter + "`? (y/n)";
            if (!confirmed(out, question)) {
                continue;
            }
            List<AclBindingFilter> filters = acls.isEmpty()
                    ? List.of(new AclBindingFilter(filter, AccessControlEntryFilter.ANY))
                    : acls.stream().map(a -> new AclBindingFilter(filter, a.toFilter())).toList();
            admin.deleteAcls(filters).all().get();
        }
    }

    private boolean confirmed(PrintWriter out, String question) throws Exception {
        if (force) {
            return true;
        }
        out.println(question);
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().equalsIgnoreCase("y");
    }

    /** Kafka's listing: each resource, then a tab and each of its entries; here sorted for a stable output. */
    private static void printAcls(PrintWriter out, Admin admin, Set<ResourcePatternFilter> filters) throws Exception {
        List<AclBinding> bindings = new ArrayList<>();
        if (filters.isEmpty()) {
            bindings.addAll(admin.describeAcls(AclBindingFilter.ANY).values().get());
        } else {
            for (ResourcePatternFilter filter : filters) {
                bindings.addAll(admin.describeAcls(new AclBindingFilter(filter, AccessControlEntryFilter.ANY))
                        .values().get());
            }
        }
        Map<String, Set<String>> byResource = new TreeMap<>();
        bindings.stream().sorted(Comparator.comparing(AclBinding::toString)).forEach(b ->
                byResource.computeIfAbsent(b.pattern().toString(), r -> new LinkedHashSet<>()).add(b.entry().toString()));
        byResource.forEach((resource, entries) -> {
            out.println("Current ACLs for resource `" + resource + "`:");
            entries.forEach(entry -> out.println("\t" + entry));
            out.println();
        });
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
