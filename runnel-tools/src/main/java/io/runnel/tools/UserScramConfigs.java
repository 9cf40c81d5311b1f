package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeUserScramCredentialsResult;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * kafka-configs.sh's {@code --entity-type users}: a user's SCRAM credentials, set with
 * {@code --add-config 'SCRAM-SHA-512=[iterations=8192,password=secret]'} (4096 iterations when not given), removed
 * with {@code --delete-config SCRAM-SHA-512}, described as kafka-configs.sh prints them, through
 * AlterUserScramCredentials and DescribeUserScramCredentials.
 */
final class UserScramConfigs {
    /** kafka-configs.sh's iterations when the value names none. */
    private static final int DEFAULT_ITERATIONS = 4096;

    private UserScramConfigs() {
    }

    /** The users named, or every user with credentials when none is. */
    static void describe(Admin admin, List<String> users, PrintWriter out) throws InterruptedException, ExecutionException {
        DescribeUserScramCredentialsResult result = admin.describeUserScramCredentials(users.isEmpty() ? null : users);
        // The client lists only the users described without error: a user without credentials prints nothing.
        for (String user : result.users().get()) {
            UserScramCredentialsDescription description = result.description(user).get();
            out.println("SCRAM credential configs for user-principal '" + user + "' are "
                    + description.credentialInfos().stream()
                    .map(info -> info.mechanism().mechanismName() + "=iterations=" + info.iterations())
                    .collect(Collectors.joining(", ")));
        }
    }

    /**
     * Sets and deletes the user's credentials in one request.
     *
     * @throws IllegalArgumentException for a key that is not a SCRAM mechanism or a value without a password
     */
    static void alter(Admin admin, String user, Map<String, String> toSet, List<String> toDelete)
            throws InterruptedException, ExecutionException {
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        toSet.forEach((key, value) -> {
            ScramMechanism mechanism = mechanism(key);
            Map<String, String> fields = fields(key, value);
            String password = fields.get("password");
            if (password == null) {
                throw new IllegalArgumentException("Invalid " + key + " config: a password is required, e.g. "
                        + key + "=[iterations=8192,password=secret]");
            }
            int iterations = fields.containsKey("iterations") ? Integer.parseInt(fields.get("iterations").trim())
                    : DEFAULT_ITERATIONS;
            alterations.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(mechanism, iterations),
                    password));
        });
        toDelete.forEach(key -> alterations.add(new UserScramCredentialDeletion(user, mechanism(key))));
        admin.alterUserScramCredentials(alterations).all().get();
    }

    private static ScramMechanism mechanism(String key) {
        ScramMechanism mechanism = ScramMechanism.fromMechanismName(key);
        if (mechanism == ScramMechanism.UNKNOWN) {
            throw new IllegalArgumentException("Invalid config " + key + " for users: a user's configs are client quotas ("
                    + String.join(", ", ClientQuotaConfigs.KEYS) + ") and SCRAM credentials (SCRAM-SHA-256, SCRAM-SHA-512)");
        }
        return mechanism;
    }

    /** {@code iterations=8192,password=secret} as a map. */
    private static Map<String, String> fields(String key, String value) {
        Map<String, String> fields = new HashMap<>();
        for (String field : value.split(",")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Invalid " + key + " config '" + field + "': expected "
                        + "iterations=<n> and password=<password>");
            }
            fields.put(field.substring(0, eq).trim(), field.substring(eq + 1));
        }
        return fields;
    }
}
