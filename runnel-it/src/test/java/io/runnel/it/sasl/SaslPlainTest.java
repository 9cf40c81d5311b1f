package io.runnel.it.sasl;

import io.runnel.it.RunnelCluster;
import io.runnel.it.tls.TestPki;
import io.runnel.it.tls.TlsClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kafka-clients logging in with SASL PLAIN on a node with a SASL_PLAINTEXT listener (its users in the listener's
 * {@code listener.name.sasl_plaintext.plain.sasl.jaas.config}) and a SASL_SSL listener (its users in the global
 * {@code sasl.jaas.config}): records produced as one user are read back as another over either; a wrong password
 * and an unknown user fail with Kafka's SaslAuthenticationException while the broker serves the others.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SaslPlainTest {
    private static final int RECORDS = 200;

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        cluster = SaslClients.plainListeners(pki)
                .brokerProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", SaslClients.BROKER_PLAIN_JAAS)
                .brokerProperty("sasl.jaas.config", SaslClients.BROKER_PLAIN_JAAS.replace("alice", "bob"))
                .start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void roundTripOverSaslPlaintext() throws Exception {
        SaslClients.roundTrip(cluster, "sasl-plaintext", "SASL_PLAINTEXT", plaintext("alice", "alice-secret"),
                plaintext("admin", "admin-secret"), RECORDS);
    }

    @Test
    void roundTripOverSaslSsl() throws Exception {
        SaslClients.roundTrip(cluster, "sasl-ssl", "SASL_SSL", ssl("bob", "bob-secret"), ssl("admin", "admin-secret"), RECORDS);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserFailAndOthersAreServed() throws Exception {
        assertRefused("SASL_PLAINTEXT", plaintext("alice", "not-alice-secret"));
        assertRefused("SASL_PLAINTEXT", plaintext("mallory", "alice-secret"));
        // bob is a user of the SASL_SSL listener only
        assertRefused("SASL_PLAINTEXT", plaintext("bob", "bob-secret"));
        assertRefused("SASL_SSL", ssl("alice", "alice-secret"));
        try (Admin admin = Admin.create(SaslClients.withBootstrap(cluster, "SASL_PLAINTEXT", plaintext("alice", "alice-secret")))) {
            assertEquals(1, admin.describeCluster().nodes().get().size());
        }
    }

    private static void assertRefused(String listener, Properties login) {
        try (Admin admin = Admin.create(SaslClients.withBootstrap(cluster, listener, TlsClients.failingFast(login)))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.describeCluster().nodes().get());
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("Authentication failed: Invalid username or password"),
                    e.getCause().getMessage());
        }
    }

    private static Properties plaintext(String user, String password) {
        return SaslClients.login("SASL_PLAINTEXT", "PLAIN", user, password);
    }

    private static Properties ssl(String user, String password) {
        Properties props = SaslClients.login("SASL_SSL", "PLAIN", user, password);
        props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, pki.caPem().toString());
        props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        return props;
    }
}
