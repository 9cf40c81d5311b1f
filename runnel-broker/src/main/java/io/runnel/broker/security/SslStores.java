package io.runnel.broker.security;

import org.apache.kafka.common.config.types.Password;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Locale;

import static org.apache.kafka.common.config.SslConfigs.SSL_KEYMANAGER_ALGORITHM_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_KEYSTORE_KEY_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_KEYSTORE_TYPE_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_KEY_PASSWORD_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_TRUSTMANAGER_ALGORITHM_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG;
import static org.apache.kafka.common.config.SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG;

/**
 * The key and trust managers of a listener's settings: a JKS or PKCS12 file, or PEM (a file holding the key and its
 * certificate chain, or the inline {@code ssl.keystore.key} / {@code ssl.keystore.certificate.chain} /
 * {@code ssl.truststore.certificates}). A store that cannot be read is refused with the key that names it.
 */
final class SslStores {
    private static final String PEM = "PEM";

    private SslStores() {
    }

    /** The keystore's key managers, or null when no keystore is set. */
    static KeyManagerFactory keyManagers(SslSettings s) {
        String type = s.string(SSL_KEYSTORE_TYPE_CONFIG).toUpperCase(Locale.ROOT);
        Password chain = s.password(SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG);
        Password key = s.password(SSL_KEYSTORE_KEY_CONFIG);
        String location = s.string(SSL_KEYSTORE_LOCATION_CONFIG);
        Password keyPassword = s.password(SSL_KEY_PASSWORD_CONFIG);
        KeyStore store;
        char[] password;
        if (chain != null || key != null) {
            requirePem(s, SSL_KEYSTORE_TYPE_CONFIG, type, chain != null ? SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG : SSL_KEYSTORE_KEY_CONFIG);
            if (chain == null || key == null) {
                throw s.invalid(chain == null ? SSL_KEYSTORE_KEY_CONFIG : SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG,
                        "needs " + s.writtenKey(chain == null ? SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG : SSL_KEYSTORE_KEY_CONFIG)
                                + " too");
            }
            if (location != null) {
                throw s.invalid(SSL_KEYSTORE_LOCATION_CONFIG, "set either a keystore file or "
                        + s.writtenKey(SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG) + " and " + s.writtenKey(SSL_KEYSTORE_KEY_CONFIG));
            }
            password = new char[0];
            store = pemKeyStore(s, chain.value(), key.value(), keyPassword, SSL_KEYSTORE_KEY_CONFIG);
        } else if (location == null) {
            return null;
        } else if (type.equals(PEM)) {
            if (s.password(SSL_KEYSTORE_PASSWORD_CONFIG) != null) {
                throw s.invalid(SSL_KEYSTORE_PASSWORD_CONFIG, "a PEM keystore has no store password: the key's "
                        + "password is " + s.writtenKey(SSL_KEY_PASSWORD_CONFIG));
            }
            String pem = readText(s, SSL_KEYSTORE_LOCATION_CONFIG);
            password = new char[0];
            store = pemKeyStore(s, pem, pem, keyPassword, SSL_KEYSTORE_LOCATION_CONFIG);
        } else {
            store = loadFile(s, type, SSL_KEYSTORE_TYPE_CONFIG, SSL_KEYSTORE_LOCATION_CONFIG, SSL_KEYSTORE_PASSWORD_CONFIG);
            Password unlock = keyPassword != null ? keyPassword : s.password(SSL_KEYSTORE_PASSWORD_CONFIG);
            password = unlock == null ? new char[0] : unlock.value().toCharArray();
        }
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(s.string(SSL_KEYMANAGER_ALGORITHM_CONFIG));
            factory.init(store, password);
            return factory;
        } catch (UnrecoverableKeyException e) {
            throw s.invalid(SSL_KEY_PASSWORD_CONFIG, "cannot recover the key in " + s.writtenKey(SSL_KEYSTORE_LOCATION_CONFIG)
                    + "=" + location + " with this password (or, when it is unset, with "
                    + s.writtenKey(SSL_KEYSTORE_PASSWORD_CONFIG) + "): " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw s.invalid(SSL_KEYMANAGER_ALGORITHM_CONFIG, e.getMessage());
        }
    }

    /** The truststore's trust managers, or null when no truststore is set (the JVM's default CAs then). */
    static TrustManagerFactory trustManagers(SslSettings s) {
        String type = s.string(SSL_TRUSTSTORE_TYPE_CONFIG).toUpperCase(Locale.ROOT);
        Password certificates = s.password(SSL_TRUSTSTORE_CERTIFICATES_CONFIG);
        String location = s.string(SSL_TRUSTSTORE_LOCATION_CONFIG);
        KeyStore store;
        if (certificates != null) {
            requirePem(s, SSL_TRUSTSTORE_TYPE_CONFIG, type, SSL_TRUSTSTORE_CERTIFICATES_CONFIG);
            if (location != null) {
                throw s.invalid(SSL_TRUSTSTORE_LOCATION_CONFIG, "set either a truststore file or "
                        + s.writtenKey(SSL_TRUSTSTORE_CERTIFICATES_CONFIG));
            }
            store = pemTrustStore(s, certificates.value(), SSL_TRUSTSTORE_CERTIFICATES_CONFIG);
        } else if (location == null) {
            return null;
        } else if (type.equals(PEM)) {
            store = pemTrustStore(s, readText(s, SSL_TRUSTSTORE_LOCATION_CONFIG), SSL_TRUSTSTORE_LOCATION_CONFIG);
        } else {
            store = loadFile(s, type, SSL_TRUSTSTORE_TYPE_CONFIG, SSL_TRUSTSTORE_LOCATION_CONFIG, SSL_TRUSTSTORE_PASSWORD_CONFIG);
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(s.string(SSL_TRUSTMANAGER_ALGORITHM_CONFIG));
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException e) {
            throw s.invalid(SSL_TRUSTMANAGER_ALGORITHM_CONFIG, e.getMessage());
        }
    }

    private static void requirePem(SslSettings s, String typeKey, String type, String inlineKey) {
        if (!type.equals(PEM)) {
            throw s.invalid(typeKey, "must be PEM when " + s.writtenKey(inlineKey) + " is set");
        }
    }

    private static KeyStore loadFile(SslSettings s, String type, String typeKey, String locationKey, String passwordKey) {
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (GeneralSecurityException e) {
            throw s.invalid(typeKey, "unknown store type: use JKS, PKCS12 or PEM");
        }
        Password password = s.password(passwordKey);
        try (InputStream in = Files.newInputStream(Path.of(s.string(locationKey)))) {
            store.load(in, password == null ? null : password.value().toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw s.invalid(locationKey, "no such file");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw s.invalid(passwordKey, "wrong password for " + s.writtenKey(locationKey) + "="
                        + s.string(locationKey) + " (" + e.getMessage() + ")");
            }
            throw s.invalid(locationKey, "cannot read it as a " + type + " store (" + s.writtenKey(typeKey) + "): " + e);
        } catch (GeneralSecurityException e) {
            throw s.invalid(locationKey, "cannot load it as a " + type + " store: " + e);
        }
    }

    private static KeyStore pemKeyStore(SslSettings s, String chain, String key, Password keyPassword, String sourceKey) {
        try {
            return PemStores.keyStore(chain, key, keyPassword == null ? null : keyPassword.value().toCharArray(), new char[0]);
        } catch (GeneralSecurityException | IOException e) {
            throw s.invalid(sourceKey, "not a usable PEM private key and certificate chain: " + e.getMessage());
        }
    }

    private static KeyStore pemTrustStore(SslSettings s, String pem, String sourceKey) {
        try {
            return PemStores.trustStore(pem);
        } catch (GeneralSecurityException | IOException e) {
            throw s.invalid(sourceKey, "not usable PEM certificates: " + e.getMessage());
        }
    }

    private static String readText(SslSettings s, String locationKey) {
        try {
            return Files.readString(Path.of(s.string(locationKey)), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw s.invalid(locationKey, "no such file");
        } catch (IOException e) {
            throw s.invalid(locationKey, "cannot read it: " + e);
        }
    }
}
