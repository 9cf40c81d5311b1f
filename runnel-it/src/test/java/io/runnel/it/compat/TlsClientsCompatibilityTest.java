package io.runnel.it.compat;

import io.runnel.it.RunnelCluster;
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
 * The clients that are not Java over an SSL listener, each trusting the broker's authority through a PEM file:
 * kcat ({@code -X security.protocol=ssl -X ssl.ca.location=...}) and confluent-kafka-python (both librdkafka), and
 * KafkaJS ({@code ssl: {ca: [...]}}); each produces records and reads them back over TLS.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TlsClientsCompatibilityTest {
    private static final int RECORDS = 300;

    @TempDir
    static Path dir;
    private static Path caPem;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        caPem = pki.caPem();
        TestPki.Identity broker = pki.server("broker");
        cluster = RunnelCluster.builder().sslListener()
                .brokerProperty("ssl.keystore.type", "PEM")
                .brokerProperty("ssl.keystore.location", broker.pemKeystore().toString())
                .brokerProperty("ssl.key.password", TestPki.PASSWORD)
                .start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void kcatProducesAndConsumesOverTls() throws Exception {
        cluster.createTopic("kcat-tls", 1);
        SecuredClients.kcatRoundTrip(cluster.bootstrapServers("SSL"),
                List.of("security.protocol=ssl", "ssl.ca.location=" + caPem), "kcat-tls", RECORDS);
    }

    @Test
    void confluentKafkaPythonProducesAndConsumesOverTls() throws Exception {
        String topic = "python-tls";
        cluster.createTopic(topic, 2);
        assertEquals(List.of("delivered " + RECORDS, "consumed " + RECORDS, "same"),
                SecuredClients.python(cluster.bootstrapServers("SSL"),
                        "{\"security.protocol\": \"ssl\", \"ssl.ca.location\": \"" + caPem + "\"}", topic, RECORDS));
    }

    @Test
    void kafkaJsProducesAndConsumesOverTls() throws Exception {
        String topic = "kafkajs-tls";
        cluster.createTopic(topic, 2);
        assertEquals(List.of("acknowledged " + RECORDS, "consumed " + RECORDS, "same"),
                SecuredClients.kafkaJs(cluster.bootstrapServers("SSL"), "{\"ssl\": {\"caFile\": \"" + caPem + "\"}}",
                        topic, RECORDS));
    }
}
