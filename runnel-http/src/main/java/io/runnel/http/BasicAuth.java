package io.runnel.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * HTTP basic authentication of a service's requests. Confluent's settings under the service's prefix:
 * {@code authentication.method} (NONE or BASIC), {@code authentication.realm} and {@code authentication.roles} (the
 * roles a user needs one of; {@code *}, the default, admits every known user), with the users in
 * {@code authentication.users.file}: the file Confluent's JAAS PropertyFileLoginModule reads, one
 * {@code user: password,role1,role2} line per user. The console's {@code console.basic.auth.passwords} gives users
 * without roles inline.
 */
public final class BasicAuth {
    /** What a request's credentials are worth. */
    public enum Outcome { ALLOWED, UNAUTHENTICATED, FORBIDDEN }

    private record User(byte[] password, Set<String> roles) {
    }

    private final String realm;
    private final Map<String, User> users;
    private final Set<String> allowedRoles;

    private BasicAuth(String realm, Map<String, User> users, Set<String> allowedRoles) {
        this.realm = realm;
        this.users = Map.copyOf(users);
        this.allowedRoles = Set.copyOf(allowedRoles);
    }

    /**
     * The {@code prefix + "authentication.*"} settings of {@code properties}: null for method NONE (the default).
     * {@code defaultRealm} is the realm when {@code authentication.realm} is not set.
     */
    public static BasicAuth parse(String prefix, Map<String, String> properties, String defaultRealm) {
        String method = properties.getOrDefault(prefix + "authentication.method", "NONE").trim();
        if (method.equalsIgnoreCase("NONE") || method.isEmpty()) {
            return null;
        }
        if (!method.equalsIgnoreCase("BASIC")) {
            throw new IllegalArgumentException(prefix + "authentication.method=" + method + " must be NONE or BASIC");
        }
        String fileKey = prefix + "authentication.users.file";
        String file = properties.get(fileKey);
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException(fileKey + " is required by " + prefix
                    + "authentication.method=BASIC (lines of user: password,role1,role2)");
        }
        String realm = properties.getOrDefault(prefix + "authentication.realm", "").trim();
        Set<String> roles = Arrays.stream(properties.getOrDefault(prefix + "authentication.roles", "*").split(","))
                .map(String::trim).filter(r -> !r.isEmpty()).collect(Collectors.toSet());
        return new BasicAuth(realm.isEmpty() ? defaultRealm : realm, usersFile(fileKey, file.trim()),
                roles.isEmpty() ? Set.of("*") : roles);
    }

    /** Whether {@code key} is one of the settings {@link #parse} reads, under {@code prefix}. */
    public static boolean isKey(String prefix, String key) {
        return key.startsWith(prefix + "authentication.") && Set.of("method", "realm", "roles", "users.file")
                .contains(key.substring(prefix.length() + "authentication.".length()));
    }

    /**
     * Users without roles from {@code user:password} entries, comma-separated, as {@code key} gives them; null when
     * the value is absent or empty.
     */
    public static BasicAuth inline(String key, String value, String realm) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            int colon = entry.indexOf(':');
            String user = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (user.isEmpty() || colon == entry.length() - 1
                    || passwords.put(user, entry.substring(colon + 1)) != null) {
                // The value holds passwords: only the rule is named.
                throw new IllegalArgumentException(key + ": each entry must be user:password with a user named once "
                        + "and a non-empty password");
            }
        }
        return of(passwords, realm);
    }

    /** Users without roles, user → password; null when there are none. */
    public static BasicAuth of(Map<String, String> passwords, String realm) {
        if (passwords.isEmpty()) {
            return null;
        }
        Map<String, User> users = new LinkedHashMap<>();
        passwords.forEach((user, password) -> users.put(user, new User(bytes(password), Set.of())));
        return new BasicAuth(realm, users, Set.of("*"));
    }

    /** Read as Jetty's PropertyUserStore reads it: a properties file whose values are password,role,role. */
    private static Map<String, User> usersFile(String key, String file) {
        Properties lines = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            lines.load(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + file + ": cannot be read (" + e + ")", e);
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (String user : lines.stringPropertyNames()) {
            String[] fields = lines.getProperty(user).split(",");
            String password = fields[0].trim();
            // Jetty's obfuscated and hashed forms would need Jetty's own code: only plain passwords are taken.
            if (password.isEmpty() || password.matches("(?i)(OBF|MD5|CRYPT):.*")) {
                throw new IllegalArgumentException(key + "=" + file + ": user " + user
                        + " needs a plain, non-empty password (OBF:, MD5: and CRYPT: are not supported)");
            }
            users.put(user, new User(bytes(password), Arrays.stream(fields).skip(1).map(String::trim)
                    .filter(r -> !r.isEmpty()).collect(Collectors.toSet())));
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(key + "=" + file + ": names no user");
        }
        return users;
    }

    /** What an {@code Authorization} header (null when absent) is worth. */
    public Outcome check(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Outcome.UNAUTHENTICATED;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Outcome.UNAUTHENTICATED;
        }
        int colon = decoded.indexOf(':');
        User user = colon < 0 ? null : users.get(decoded.substring(0, colon));
        // Compared in constant time: the answer's timing tells nothing of the password.
        if (user == null || !MessageDigest.isEqual(user.password(), bytes(decoded.substring(colon + 1)))) {
            return Outcome.UNAUTHENTICATED;
        }
        return allowedRoles.contains("*") || user.roles().stream().anyMatch(allowedRoles::contains)
                ? Outcome.ALLOWED : Outcome.FORBIDDEN;
    }

    /** The {@code WWW-Authenticate} header of a 401. */
    public String challenge() {
        return "Basic realm=\"" + realm.replace("\"", "") + "\", charset=\"UTF-8\"";
    }

    /**
     * Passes on a request with a known user's credentials; answers others as Confluent's services do: 401 with the
     * challenge, or 403 for a user without an allowed role, in {@code errors}' JSON.
     */
    Handler<RoutingContext> handler(HttpErrors errors) {
        return ctx -> {
            switch (check(ctx.request().getHeader("Authorization"))) {
                case ALLOWED -> ctx.next();
                case FORBIDDEN -> errors.send(ctx, 403, 403, "Forbidden");
                case UNAUTHENTICATED -> {
                    ctx.response().putHeader("WWW-Authenticate", challenge());
                    errors.send(ctx, 401, 401, "Unauthorized");
                }
            }
        };
    }

    private static byte[] bytes(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }
}
