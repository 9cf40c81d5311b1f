package io.runnel.it.compat;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.sasl.SaslClients;
import io.runnel.it.tls.TestPki;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The clients that are not Java logging in with SASL PLAIN and SCRAM: kcat ({@code -X security.protocol=sasl_plaintext -X
 * sasl.mechanisms=PLAIN -X sasl.username=... -X sasl.password=...}) and confluent-kafka-python (both librdkafka,
 * the latter over SASL_SSL too), and KafkaJS ({@code sasl: {mechanism: 'plain', ...}}): each produces records and
 * reads them back; KafkaJS with {@code mechanism: 'scram-sha-256'} and {@code 'scram-sha-512'}, for users created
 * through AlterUserScramCredentials, as well (librdkafka before 2.6.1, the one installed here among them, repeats
 * the client nonce in SCRAM's client-final message, which Kafka 4 refuses, and so does Runnel with Kafka's SCRAM
 * server: confluentinc/librdkafka#4895); with a wrong password, librdkafka reports its
 * authentication error (with Kafka's message for PLAIN) and KafkaJS its KafkaJSSASLAuthenticationError.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SaslClientsCompatibilityTest {
    private static final int RECORDS = 300;
    private static final String REFUSED_BY_LIBRDKAFKA = "Authentication failed: Invalid username or password";

    @TempDir
    static Path dir;
    private static Path caPem;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        caPem = pki.caPem();
        cluster = SaslClients.plainListeners(pki).brokerProperty("sasl.jaas.config", SaslClients.BROKER_PLAIN_JAAS)
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512").start();
        try (Admin admin = cluster.admin()) {
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                            "carol-secret"),
                    new UserScramCredentialUpsertion("dave", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                            "dave-secret"))).all().get();
        }
        Await.awaitCondition(Duration.ofSeconds(60), () -> !SaslClients.refused(cluster.bootstrapServers("SASL_PLAINTEXT"),
                SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-512", "dave", "dave-secret")), "dave's credential in use");
        Await.awaitCondition(Duration.ofSeconds(60), () -> !SaslClients.refused(cluster.bootstrapServers("SASL_PLAINTEXT"),
                SaslClients.login("SASL_PLAINTEXT", "SCRAM-SHA-256", "carol", "carol-secret")), "carol's credential in use");
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void kcatProducesAndConsumesWithPlain() throws Exception {
        cluster.createTopic("kcat-sasl", 1);
        SecuredClients.kcatRoundTrip(cluster.bootstrapServers("SASL_PLAINTEXT"), List.of("security.protocol=sasl_plaintext",
                "sasl.mechanisms=PLAIN", "sasl.username=alice", "sasl.password=alice-secret"), "kcat-sasl", RECORDS);
    }

    @Test
    void confluentKafkaPythonProducesAndConsumesWithPlainOverSaslPlaintextAndSaslSsl() throws Exception {
        cluster.createTopic("python-sasl", 2);
        assertEquals(List.of("delivered " + RECORDS, "consumed " + RECORDS, "same"),
                SecuredClients.python(cluster.bootstrapServers("SASL_PLAINTEXT"), python("sasl_plaintext", "alice-secret"),
                        "python-sasl", RECORDS));
        cluster.createTopic("python-sasl-ssl", 2);
        String overTls = python("sasl_ssl", "alice-secret").replace("}", ", \"ssl.ca.location\": \"" + caPem + "\"}");
        assertEquals(List.of("delivered " + RECORDS, "consumed " + RECORDS, "same"),
                SecuredClients.python(cluster.bootstrapServers("SASL_SSL"), overTls, "python-sasl-ssl", RECORDS));
    }

    @Test
    void confluentKafkaPythonWithAWrongPasswordIsRefused() throws Exception {
        List<String> out = SecuredClients.python(cluster.bootstrapServers("SASL_PLAINTEXT"),
                python("sasl_plaintext", "wrong"), "unused", 0);
        assertEquals(1, out.size(), out.toString());
        assertContains(out.get(0), "refused: ");
        assertContains(out.get(0), REFUSED_BY_LIBRDKAFKA);
        assertEquals(List.of("authenticated"), SecuredClients.python(cluster.bootstrapServers("SASL_PLAINTEXT"),
                python("sasl_plaintext", "alice-secret"), "unused", 0));
    }

    @Test
    void kafkaJsProducesAndConsumesWithScramSha256AndIsRefusedAWrongPassword() throws Exception {
        cluster.createTopic("kafkajs-scram", 2);
        String carol = "{\"sasl\": {\"mechanism\": \"scram-sha-256\", \"username\": \"carol\", \"password\": "
                + "\"carol-secret\"}}";
        assertEquals(List.of("acknowledged " + RECORDS, "consumed " + RECORDS, "same"),
                SecuredClients.kafkaJs(cluster.bootstrapServers("SASL_PLAINTEXT"), carol, "kafkajs-scram", RECORDS));
        List<String> refused = SecuredClients.kafkaJs(cluster.bootstrapServers("SASL_PLAINTEXT"),
                carol.replace("carol-secret", "wrong"), "unused", 0);
        assertContains(refused.get(0), "refused: KafkaJSSASLAuthenticationError");
    }

    @Test
    void kafkaJsProducesAndConsumesWithScramSha512() throws Exception {
        cluster.createTopic("kafkajs-scram-512", 2);
        assertEquals(List.of("acknowledged " + RECORDS, "consumed " + RECORDS, "same"),
                SecuredClients.kafkaJs(cluster.bootstrapServers("SASL_PLAINTEXT"), "{\"sasl\": {\"mechanism\": "
                        + "\"scram-sha-512\", \"username\": \"dave\", \"password\": \"dave-secret\"}}",
                        "kafkajs-scram-512", RECORDS));
    }

    @Test
    void kafkaJsProducesAndConsumesWithPlain() throws Exception {
        cluster.createTopic("kafkajs-sasl", 2);
        assertEquals(List.of("acknowledged " + RECORDS, "consumed " + RECORDS, "same"),
                SecuredClients.kafkaJs(cluster.bootstrapServers("SASL_PLAINTEXT"), kafkaJs("plain", "alice-secret"),
                        "kafkajs-sasl", RECORDS));
    }

    @Test
    void kafkaJsWithAWrongPasswordIsRefused() throws Exception {
        List<String> out = SecuredClients.kafkaJs(cluster.bootstrapServers("SASL_PLAINTEXT"),
                kafkaJs("plain", "wrong"), "unused", 0);
        assertEquals(1, out.size(), out.toString());
        assertContains(out.get(0), "refused: KafkaJSSASLAuthenticationError");
        assertContains(out.get(0), REFUSED_BY_LIBRDKAFKA);
    }

    private static String python(String securityProtocol, String password) {
        return "{\"security.protocol\": \"" + securityProtocol + "\", \"sasl.mechanisms\": \"PLAIN\", "
                + "\"sasl.username\": \"alice\", \"sasl.password\": \"" + password + "\"}";
    }

    private static String kafkaJs(String mechanism, String password) {
        return "{\"sasl\": {\"mechanism\": \"" + mechanism + "\", \"username\": \"alice\", \"password\": \""
                + password + "\"}}";
    }

    private static void assertContains(String actual, String expected) {
        if (!actual.contains(expected)) {
            assertEquals(expected, actual, "expected to contain");
        }
    }
}
