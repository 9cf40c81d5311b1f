package io.runnel.it.compat;

import io.runnel.it.RunnelCluster;
import io.runnel.it.sasl.SaslClients;
import io.runnel.it.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The clients that are not Java logging in with SASL PLAIN: kcat ({@code -X security.protocol=sasl_plaintext -X
 * sasl.mechanisms=PLAIN -X sasl.username=... -X sasl.password=...}) and confluent-kafka-python (both librdkafka,
 * the latter over SASL_SSL too), and KafkaJS ({@code sasl: {mechanism: 'plain', ...}}): each produces records and
 * reads them back; with a wrong password, librdkafka reports its authentication error with Kafka's message and
 * KafkaJS its KafkaJSSASLAuthenticationError.
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
        cluster = SaslClients.plainListeners(pki).brokerProperty("sasl.jaas.config", SaslClients.BROKER_PLAIN_JAAS).start();
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
