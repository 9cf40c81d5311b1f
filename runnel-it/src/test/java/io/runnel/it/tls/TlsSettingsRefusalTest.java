package io.runnel.it.tls;

import io.runnel.it.RunnelCluster;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TLS settings a listener cannot work with stop the node at start-up, naming the key, its value and the rule. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsSettingsRefusalTest {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static Path keystore;

    @BeforeAll
    static void makeCertificates() {
        pki = TestPki.create(dir);
        keystore = pki.server("broker").keystore("JKS");
    }

    @Test
    void aMissingKeystoreFile() {
        Path missing = dir.resolve("missing.jks");
        assertRefused(Map.of("ssl.keystore.location", missing.toString(), "ssl.keystore.password", TestPki.PASSWORD),
                "Invalid value " + missing + " for configuration ssl.keystore.location: no such file");
    }

    @Test
    void noKeystoreAtAll() {
        assertRefused(Map.of(), "Invalid value null for configuration ssl.keystore.location: listener SSL is SSL and "
                + "needs a keystore: a JKS, PKCS12 or PEM file, or ssl.keystore.certificate.chain and ssl.keystore.key "
                + "with ssl.keystore.type=PEM");
    }

    @Test
    void aWrongKeystorePassword() {
        assertRefused(Map.of("ssl.keystore.location", keystore.toString(), "ssl.keystore.password", "not-it"),
                "Invalid value [hidden] for configuration ssl.keystore.password: wrong password for "
                        + "ssl.keystore.location=" + keystore);
    }

    @Test
    void aWrongKeyPasswordInAListenerOverride() {
        assertRefused(Map.of("ssl.keystore.location", keystore.toString(), "ssl.keystore.password", TestPki.PASSWORD,
                        "listener.name.ssl.ssl.key.password", "not-it"),
                "Invalid value [hidden] for configuration listener.name.ssl.ssl.key.password: cannot recover the key in "
                        + "ssl.keystore.location=" + keystore + " with this password");
    }

    @Test
    void anUnknownEnabledProtocol() {
        assertRefused(keystoreAnd("ssl.enabled.protocols", "TLSv1.2,TLSv9"),
                "Invalid value [TLSv1.2, TLSv9] for configuration ssl.enabled.protocols: unknown or unsupported protocol "
                        + "TLSv9: use TLSv1.2 and TLSv1.3");
    }

    @Test
    void anUnknownProtocol() {
        assertRefused(keystoreAnd("ssl.protocol", "TLSv9"),
                "Invalid value TLSv9 for configuration ssl.protocol: unknown protocol: use TLSv1.3 (the default), TLSv1.2 or TLS");
    }

    @Test
    void noEnabledProtocolAtOrBelowTheProtocol() {
        assertRefused(keystoreAnd("ssl.protocol", "TLSv1.2", "ssl.enabled.protocols", "TLSv1.3"),
                "Invalid value [TLSv1.3] for configuration ssl.enabled.protocols: enables no protocol at or below "
                        + "ssl.protocol=TLSv1.2");
    }

    @Test
    void anUnknownCipherSuite() {
        assertRefused(keystoreAnd("ssl.cipher.suites", "TLS_NO_SUCH_CIPHER"),
                "Invalid value [TLS_NO_SUCH_CIPHER] for configuration ssl.cipher.suites:");
    }

    @Test
    void anUnknownClientAuth() {
        assertRefused(keystoreAnd("listener.name.ssl.ssl.client.auth", "sometimes"),
                "Invalid value sometimes for configuration listener.name.ssl.ssl.client.auth: must be one of "
                        + "[required, requested, none]");
    }

    @Test
    void anUnknownStoreType() {
        assertRefused(keystoreAnd("ssl.keystore.type", "BKS"),
                "Invalid value BKS for configuration ssl.keystore.type: unknown store type: use JKS, PKCS12 or PEM");
    }

    @Test
    void aTlsControllerListenerWithoutAKeystore() {
        ConfigException e = assertThrows(ConfigException.class, () -> RunnelCluster.builder()
                .brokerProperty("listener.security.protocol.map", "CONTROLLER:SSL,PLAINTEXT:PLAINTEXT").start().close());
        assertContains("the controller listener CONTROLLER is SSL: every node of the metadata quorum needs a keystore",
                e.getMessage());
    }

    private static Map<String, String> keystoreAnd(String... keyValues) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("ssl.keystore.location", keystore.toString());
        props.put("ssl.keystore.password", TestPki.PASSWORD);
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private static void assertRefused(Map<String, String> props, String expectedStart) {
        RunnelCluster.Builder builder = RunnelCluster.builder().sslListener();
        props.forEach(builder::brokerProperty);
        ConfigException e = assertThrows(ConfigException.class, () -> builder.start().close());
        assertStartsWith(expectedStart, e.getMessage());
    }

    private static void assertStartsWith(String expected, String actual) {
        assertEquals(expected, actual.substring(0, Math.min(expected.length(), actual.length())), actual);
    }

    private static void assertContains(String expected, String actual) {
        if (!actual.contains(expected)) {
            assertEquals(expected, actual);
        }
    }
}
