package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code runnel client-quotas}: the client quotas of a user, a client id, both, or their defaults, described or
 * altered with the names given as options rather than kafka-configs.sh's ordered entity types; the same requests and
 * output as {@code runnel configs --entity-type users|clients} ({@link ClientQuotaConfigs}).
 */
@Command(name = "client-quotas", mixinStandardHelpOptions = true,
        description = "Describe or alter the client quotas of users and client ids.")
final class ClientQuotasCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--describe", required = true, description = "Show the quotas.")
        boolean describe;
        @Option(names = "--alter", required = true, description = "Change the quotas.")
        boolean alter;
    }

    @Option(names = "--user", paramLabel = "NAME", description = "The user (principal name).")
    String user;

    @Option(names = "--user-default", description = "The default user.")
    boolean userDefault;

    @Option(names = "--client-id", paramLabel = "ID", description = "The client id.")
    String clientId;

    @Option(names = "--client-id-default", description = "The default client id.")
    boolean clientIdDefault;

    @Option(names = "--add-config", split = ",", paramLabel = "k1=v1,k2=v2",
            description = "Quotas to set: producer_byte_rate, consumer_byte_rate, request_percentage, controller_mutation_rate.")
    List<String> addConfigs = new ArrayList<>();

    @Option(names = "--delete-config", split = ",", paramLabel = "k1,k2", description = "Quotas to remove.")
    List<String> deleteConfigs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (user != null && userDefault || clientId != null && clientIdDefault) {
            throw usage("A name and its default cannot be given together");
        }
        Map<String, String> names = new HashMap<>();
        List<String> types = new ArrayList<>();
        if (user != null || userDefault) {
            types.add(ClientQuotaEntity.USER);
            names.put(ClientQuotaEntity.USER, user);
        }
        if (clientId != null || clientIdDefault) {
            types.add(ClientQuotaEntity.CLIENT_ID);
            names.put(ClientQuotaEntity.CLIENT_ID, clientId);
        }
        if (action.alter && types.isEmpty()) {
            throw usage("--alter needs --user, --user-default, --client-id or --client-id-default");
        }
        boolean changes = !addConfigs.isEmpty() || !deleteConfigs.isEmpty();
        if (action.alter && !changes) {
            throw usage("--alter needs --add-config or --delete-config");
        }
        if (!action.alter && changes) {
            throw usage("--add-config and --delete-config apply only to --alter");
        }
        Map<String, String> toSet = new LinkedHashMap<>();
        for (String pair : addConfigs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw usage("Invalid quota " + pair + ": expected key=value");
            }
            toSet.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        try (Admin admin = Admin.create(connection.adminProperties())) {
            if (action.describe) {
                // Without a name, every entity; with names, exactly that entity.
                ClientQuotaConfigs.describe(admin, types, names, false, spec.commandLine().getOut());
                return 0;
            }
            try {
                ClientQuotaConfigs.alter(admin, new ClientQuotaEntity(names), toSet, deleteConfigs);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            spec.commandLine().getOut().println("Completed updating the quotas of "
                    + ClientQuotaConfigs.label(new ClientQuotaEntity(names)) + ".");
        }
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
