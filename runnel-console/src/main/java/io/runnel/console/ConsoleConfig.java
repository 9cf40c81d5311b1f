package io.runnel.console;

import io.runnel.http.BasicAuth;
import io.runnel.http.HttpEndpoints;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A console's settings. A file for {@code runnel console} takes the keys a broker's server.properties takes for the
 * console it runs ({@code console.listeners}, http:// or https://, with {@code console.ssl.*} for https (see
 * {@link HttpEndpoints}), {@code console.read.only}, {@code console.basic.auth.passwords}) and
 * the cluster's: {@code bootstrap.servers}, {@code schema.registry.url}, and {@code client.*} settings (security)
 * passed without the prefix to the console's Admin, producer and consumers.
 *
 * @param http the listeners, without authentication: the console asks for its login itself, with a page
 * @param basicAuth null: no login
 * @param schemaRegistryUrl null: the Schemas pages are off and Avro values are shown as bytes
 */
public record ConsoleConfig(HttpEndpoints http, Map<String, Object> clientProperties,
                            String schemaRegistryUrl, boolean readOnly, BasicAuth basicAuth) {
    public static final String READ_ONLY = "console.read.only";
    public static final String BASIC_AUTH_PASSWORDS = "console.basic.auth.passwords";
    /** The realm of the console's login. */
    public static final String REALM = "Runnel console";
    private static final String DEFAULT_LISTENER = "http://localhost:8080";

    public ConsoleConfig {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** The console a broker runs beside itself: a client of its own listener and of its own schema registry, if any. */
    public static ConsoleConfig embedded(HttpEndpoints http, String bootstrapServers, String schemaRegistryUrl,
                                         boolean readOnly, BasicAuth basicAuth) {
        return new ConsoleConfig(http, Map.of("bootstrap.servers", bootstrapServers), schemaRegistryUrl, readOnly,
                basicAuth);
    }

    /** The same on plain http:// listeners, with users as user → password (none: no login). */
    public static ConsoleConfig embedded(List<InetSocketAddress> listeners, String bootstrapServers,
                                         String schemaRegistryUrl, boolean readOnly,
                                         Map<String, String> basicAuthPasswords) {
        return embedded(HttpEndpoints.plain(listeners), bootstrapServers, schemaRegistryUrl, readOnly,
                BasicAuth.of(basicAuthPasswords, REALM));
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
        return new ConsoleConfig(HttpEndpoints.parse("console.", properties, DEFAULT_LISTENER, null), clients,
                registry == null || registry.isBlank() ? null : registry.trim(), readOnly(properties.get(READ_ONLY)),
                BasicAuth.inline(BASIC_AUTH_PASSWORDS, properties.get(BASIC_AUTH_PASSWORDS), REALM));
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

    /** Whether mutations (forms that change the cluster) are served. */
    public boolean canWrite() {
        return !readOnly;
    }
}
