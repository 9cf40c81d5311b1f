package io.runnel.http;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyStoreOptionsBase;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The TLS of an HTTP service's {@code https://} listeners, with Confluent's names under the service's prefix:
 * {@code ssl.keystore.location}, {@code ssl.keystore.password}, {@code ssl.key.password}, {@code ssl.keystore.type}
 * (JKS or PKCS12), {@code ssl.truststore.location}, {@code ssl.truststore.password}, {@code ssl.truststore.type},
 * {@code ssl.client.authentication} (NONE, REQUESTED, REQUIRED; the older {@code ssl.client.auth=true} is REQUIRED)
 * and {@code ssl.enabled.protocols}. Vert.x does the TLS; the stores are opened once here so that a wrong path or
 * password stops start-up naming its key.
 */
public final class HttpTls {
    private final KeyStoreOptionsBase keystore;
    private final KeyStoreOptionsBase truststore;
    private final ClientAuth clientAuth;
    private final Set<String> protocols;

    private HttpTls(KeyStoreOptionsBase keystore, KeyStoreOptionsBase truststore, ClientAuth clientAuth,
                    Set<String> protocols) {
        this.keystore = keystore;
        this.truststore = truststore;
        this.clientAuth = clientAuth;
        this.protocols = protocols;
    }

    /** The {@code prefix + "ssl.*"} settings of {@code properties}; the keystore is required. */
    public static HttpTls parse(String prefix, Map<String, String> properties) {
        KeyStoreOptionsBase keystore = store(prefix, "keystore.", properties);
        KeyStoreOptionsBase truststore = store(prefix, "truststore.", properties);
        return new HttpTls(keystore, truststore, clientAuth(prefix, properties), protocols(prefix, properties));
    }

    /** Whether {@code key} is one of the settings this class reads, under {@code prefix}. */
    public static boolean isKey(String prefix, String key) {
        return key.startsWith(prefix + "ssl.") && Set.of("keystore.location", "keystore.password", "key.password",
                "keystore.type", "truststore.location", "truststore.password", "truststore.type",
                "client.authentication", "client.auth", "enabled.protocols")
                .contains(key.substring(prefix.length() + 4));
    }

    HttpServerOptions applyTo(HttpServerOptions options) {
        options.setSsl(true).setKeyCertOptions(keystore).setClientAuth(clientAuth);
        if (truststore != null) {
            options.setTrustOptions(truststore);
        }
        if (!protocols.isEmpty()) {
            options.setEnabledSecureTransportProtocols(protocols);
        }
        return options;
    }

    /**
     * The keystore (required, its private keys opened with ssl.key.password or else the store's password) or the
     * truststore (null when not set).
     */
    private static KeyStoreOptionsBase store(String prefix, String kind, Map<String, String> properties) {
        String keyPrefix = prefix + "ssl." + kind;
        boolean keystore = kind.equals("keystore.");
        String location = properties.get(keyPrefix + "location");
        if (location == null || location.isBlank()) {
            if (keystore) {
                throw new IllegalArgumentException(keyPrefix + "location is required by an https:// listener");
            }
            return null;
        }
        String type = properties.getOrDefault(keyPrefix + "type", "JKS").trim().toUpperCase(Locale.ROOT);
        KeyStoreOptionsBase options = switch (type) {
            case "JKS" -> new JksOptions();
            case "PKCS12" -> new PfxOptions();
            default -> throw new IllegalArgumentException(keyPrefix + "type=" + type + " must be JKS or PKCS12");
        };
        options.setPath(location.trim()).setPassword(properties.get(keyPrefix + "password"));
        KeyStore store;
        try (InputStream in = Files.newInputStream(Path.of(options.getPath()))) {
            store = KeyStore.getInstance(type);
            store.load(in, chars(options.getPassword()));
        } catch (IOException | GeneralSecurityException e) {
            // A wrong password surfaces as an IOException caused by an UnrecoverableKeyException.
            throw new IllegalArgumentException(keyPrefix + "location=" + location + ": "
                    + (e.getCause() instanceof UnrecoverableKeyException ? keyPrefix + "password does not open it"
                    : "cannot be read as a " + type + " store (" + e + ")"), e);
        }
        if (keystore) {
            String keyPassword = properties.get(prefix + "ssl.key.password");
            if (keyPassword != null && !keyPassword.isEmpty()) {
                options.setAliasPassword(keyPassword);
            }
            checkKeys(prefix, options, store);
        }
        return options;
    }

    private static void checkKeys(String prefix, KeyStoreOptionsBase options, KeyStore store) {
        boolean keyPassword = options.getAliasPassword() != null;
        char[] password = chars(keyPassword ? options.getAliasPassword() : options.getPassword());
        try {
            boolean any = false;
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    store.getKey(alias, password);
                    any = true;
                }
            }
            if (!any) {
                throw new IllegalArgumentException(prefix + "ssl.keystore.location=" + options.getPath()
                        + ": the store holds no private key");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(prefix + (keyPassword ? "ssl.key.password" : "ssl.keystore.password")
                    + " does not open the private key in " + options.getPath(), e);
        }
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    private static ClientAuth clientAuth(String prefix, Map<String, String> properties) {
        String authentication = properties.get(prefix + "ssl.client.authentication");
        if (authentication != null && !authentication.isBlank()) {
            return switch (authentication.trim().toUpperCase(Locale.ROOT)) {
                case "NONE" -> ClientAuth.NONE;
                case "REQUESTED" -> ClientAuth.REQUEST;
                case "REQUIRED" -> ClientAuth.REQUIRED;
                default -> throw new IllegalArgumentException(prefix + "ssl.client.authentication=" + authentication
                        + " must be NONE, REQUESTED or REQUIRED");
            };
        }
        String auth = properties.getOrDefault(prefix + "ssl.client.auth", "false").trim();
        if (!auth.equalsIgnoreCase("true") && !auth.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(prefix + "ssl.client.auth=" + auth + " must be true or false");
        }
        return auth.equalsIgnoreCase("true") ? ClientAuth.REQUIRED : ClientAuth.NONE;
    }

    private static Set<String> protocols(String prefix, Map<String, String> properties) {
        String value = properties.getOrDefault(prefix + "ssl.enabled.protocols", "");
        Set<String> protocols = new LinkedHashSet<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(p -> !p.isEmpty()).forEach(protocols::add);
        return protocols;
    }
}
