package io.runnel.broker.security;

import io.runnel.broker.protocol.ScramCredentials;
import io.runnel.metadata.Controller;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.ScramCredentialResult;
import io.runnel.metadata.record.ScramCredentialRecord;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * SCRAM users given to {@code runnel storage format --add-scram} (kafka-storage.sh's flag), which brokers that log
 * in to each other with SCRAM need before anyone can create them: the credentials are kept in the metadata directory
 * and written to the metadata log when the node first starts, for each user and mechanism the cluster does not
 * have yet; the file is then renamed, so that a user deleted later is not brought back.
 */
public final class BootstrapScramCredentials {
    static final String FILE = "bootstrap-scram.properties";
    static final String APPLIED = "bootstrap-scram.applied";
    /** kafka-storage.sh's iterations when the argument names none. */
    private static final int DEFAULT_ITERATIONS = 4096;

    private BootstrapScramCredentials() {
    }

    /**
     * One {@code --add-scram} argument as kafka-storage.sh takes it: {@code SCRAM-SHA-512=[name=admin,password=…]},
     * with {@code iterations=n}, or {@code salt=<base64>,saltedpassword=<base64>} instead of the password; a value
     * may be quoted.
     */
    public static ScramCredentialRecord parse(String raw) {
        String argument = raw.replaceAll("(?i)(password=)(\"[^\"]*\"|[^,\\]]*)", "$1[hidden]"); // for messages
        int eq = raw.indexOf('=');
        String mechanism = eq < 0 ? raw : raw.substring(0, eq).trim();
        if (ScramMechanism.forMechanismName(mechanism) == null) {
            throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': the mechanism must be one of "
                    + ScramMechanism.mechanismNames() + ", as in SCRAM-SHA-512=[name=admin,password=admin-secret]");
        }
        String rest = raw.substring(eq + 1).trim();
        if (!rest.startsWith("[") || !rest.endsWith("]")) {
            throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': expected " + mechanism
                    + "=[name=<user>,password=<password>]");
        }
        Map<String, String> fields = fields(argument, rest.substring(1, rest.length() - 1));
        String name = required(argument, fields, "name");
        int iterations = fields.containsKey("iterations") ? iterations(argument, fields.get("iterations"))
                : DEFAULT_ITERATIONS;
        if (iterations < ScramCredentials.minIterations(mechanism)) {
            throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': " + mechanism + " needs at least "
                    + ScramCredentials.minIterations(mechanism) + " iterations");
        }
        String credential;
        if (fields.containsKey("password")) {
            credential = ScramCredentials.fromPassword(mechanism, fields.get("password"), iterations);
        } else if (fields.containsKey("salt") && fields.containsKey("saltedpassword")) {
            credential = ScramCredentials.fromSaltedPassword(mechanism, base64(argument, fields.get("salt")),
                    base64(argument, fields.get("saltedpassword")), iterations);
        } else {
            throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': give password=<password>, or"
                    + " salt=<base64> and saltedpassword=<base64>");
        }
        return new ScramCredentialRecord(name, mechanism, credential);
    }

    /** Keeps the credentials in the metadata directory until the node first starts. */
    public static void write(Path metadataDir, List<ScramCredentialRecord> credentials) {
        Properties props = new Properties();
        for (int i = 0; i < credentials.size(); i++) {
            props.setProperty(i + ".user", credentials.get(i).user());
            props.setProperty(i + ".mechanism", credentials.get(i).mechanism());
            props.setProperty(i + ".credential", credentials.get(i).credential());
        }
        try (Writer out = Files.newBufferedWriter(metadataDir.resolve(FILE))) {
            props.store(out, "SCRAM credentials of runnel storage format --add-scram, written to the metadata log at"
                    + " the first start");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the kept credentials the cluster lacks to the metadata log, then renames the file; nothing when there is
     * none. Runs once the node's metadata quorum is up, before the broker serves.
     */
    public static void apply(Path metadataDir, MetadataImage image, Controller controller, Duration timeout)
            throws Exception {
        Path file = metadataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        }
        List<ScramCredentialRecord> missing = new ArrayList<>();
        for (int i = 0; props.containsKey(i + ".user"); i++) {
            ScramCredentialRecord credential = new ScramCredentialRecord(props.getProperty(i + ".user"),
                    props.getProperty(i + ".mechanism"), props.getProperty(i + ".credential"));
            if (!image.scramCredentials(credential.user()).containsKey(credential.mechanism())) {
                missing.add(credential);
            }
        }
        if (!missing.isEmpty()) {
            for (ScramCredentialResult result : controller.alterScramCredentials(missing)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                if (result.error() != Errors.NONE) {
                    throw new IllegalStateException("Cannot add the SCRAM credential of " + result.user() + " for "
                            + result.mechanism() + " from " + file + ": " + result.message());
                }
            }
        }
        Files.move(file, metadataDir.resolve(APPLIED), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, String> fields(String argument, String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': expected key=value pairs");
            }
            String key = body.substring(i, eq).trim().toLowerCase();
            int end;
            String value;
            if (eq + 1 < body.length() && body.charAt(eq + 1) == '"') {
                int close = body.indexOf('"', eq + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': unclosed quote");
                }
                value = body.substring(eq + 2, close);
                end = close + 1;
            } else {
                end = body.indexOf(',', eq + 1);
                end = end < 0 ? body.length() : end;
                value = body.substring(eq + 1, end);
            }
            fields.put(key, value);
            i = body.indexOf(',', end) < 0 ? body.length() : body.indexOf(',', end) + 1;
        }
        return fields;
    }

    private static String required(String argument, Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': " + key + "=… is required");
        }
        return value;
    }

    private static int iterations(String argument, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': iterations must be a number");
        }
    }

    private static byte[] base64(String argument, String value) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid --add-scram '" + argument + "': " + value + " is not base64");
        }
    }
}
