package io.runnel.console;

import io.runnel.http.HttpListeners;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A console's settings. A file for {@code runnel console} takes the keys a broker's server.properties takes for the
 * console it runs ({@code console.listeners}, {@code console.read.only}, {@code console.basic.auth.passwords}) and
 * the cluster's: {@code bootstrap.servers}, {@code schema.registry.url}, and {@code client.*} settings (security)
 * passed without the prefix to the console's Admin, producer and consumers.
 *
 * @param basicAuthPasswords user → password; empty: no login
 * @param schemaRegistryUrl null: the Schemas pages are off and Avro values are shown as bytes
 */
public record ConsoleConfig(List<InetSocketAddress> listeners, Map<String, Object> clientProperties,
                            String schemaRegistryUrl, boolean readOnly, Map<String, String> basicAuthPasswords) {
    public static final String LISTENERS = "console.listeners";
    public static final String READ_ONLY = "console.read.only";
    public static final String BASIC_AUTH_PASSWORDS = "console.basic.auth.passwords";
    private static final String DEFAULT_LISTENER = "http://localhost:8080";

    public ConsoleConfig {
        listeners = List.copyOf(listeners);
        clientProperties = Map.copyOf(clientProperties);
        basicAuthPasswords = Map.copyOf(basicAuthPasswords);
    }

    /** The console a broker runs beside itself: a client of its own listener and of its own schema registry, if any. */
    public static ConsoleConfig embedded(List<InetSocketAddress> listeners, String bootstrapServers,
                                         String schemaRegistryUrl, boolean readOnly,
                                         Map<String, String> basicAuthPasswords) {
        return new ConsoleConfig(listeners, Map.of("bootstrap.servers", bootstrapServers), schemaRegistryUrl,
                readOnly, basicAuthPasswords);
    }

    /** From a console file's entries; names the key, the value and the rule when one is wrong. */
    public static ConsoleConfig parse(Map<String, String> properties) {
        String bootstrap = properties.get("bootstrap.servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is required (host:port of the cluster)");
        }
        Map<String, Object> clients = new HashMap<>();
        clients.put("bootstrap.servers", bootstrap.replaceAll("(?i)[A-Z_]+://", ""));
        properties.forEach((key, value) -> {
            if (key.startsWith("client.")) {
                clients.put(key.substring("client.".length()), value);
            }
        });
        String registry = properties.get("schema.registry.url");
        return new ConsoleConfig(HttpListeners.parse(LISTENERS, properties.getOrDefault(LISTENERS, DEFAULT_LISTENER)),
                clients, registry == null || registry.isBlank() ? null : registry.trim(),
                readOnly(properties.get(READ_ONLY)), basicAuthPasswords(properties.get(BASIC_AUTH_PASSWORDS)));
    }

    /** {@code console.read.only}: true or false (absent: false). */
    public static boolean readOnly(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (value.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(READ_ONLY + "=" + value + " must be true or false");
    }

    /** {@code console.basic.auth.passwords}: {@code user:password} entries, comma-separated; absent or empty: none. */
    public static Map<String, String> basicAuthPasswords(String value) {
        Map<String, String> users = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return users;
        }
        for (String entry : value.split(",")) {
            int colon = entry.indexOf(':');
            String user = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (user.isEmpty() || colon == entry.length() - 1 || users.put(user, entry.substring(colon + 1)) != null) {
                // The value holds passwords: only the rule is named.
                throw new IllegalArgumentException(BASIC_AUTH_PASSWORDS + ": each entry must be user:password with "
                        + "a user named once and a non-empty password");
            }
        }
        return users;
    }

    /** Whether mutations (forms that change the cluster) are served. */
    public boolean canWrite() {
        return !readOnly;
    }
}
