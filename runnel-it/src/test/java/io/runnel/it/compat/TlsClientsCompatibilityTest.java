package io.runnel.it.compat;

import io.runnel.it.RunnelCluster;
import io.runnel.it.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The clients that are not Java over an SSL listener, each trusting the broker's authority through a PEM file:
 * kcat ({@code -X security.protocol=ssl -X ssl.ca.location=...}) and confluent-kafka-python (both librdkafka), and
 * KafkaJS ({@code ssl: {ca: [...]}}); each produces records and reads them back over TLS.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TlsClientsCompatibilityTest {
    private static final int RECORDS = 300;
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path KAFKAJS = ClientCommand.clientsDir().resolve("kafkajs");

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
        ClientCommand.requireInstalled("kcat", "apt-get install kcat", "kcat", "-V");
        String topic = "kcat-tls";
        cluster.createTopic(topic, 1);
        String lines = IntStream.range(0, RECORDS).mapToObj(i -> "k" + i + ":kcat-" + i)
                .collect(Collectors.joining("\n", "", "\n"));
        kcat(lines, "-P", "-t", topic, "-K:", "-X", "acks=all");
        String out = kcat(null, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k=%s\\n");
        List<String> expected = IntStream.range(0, RECORDS).mapToObj(i -> "k" + i + "=kcat-" + i).toList();
        assertEquals(expected, out.lines().toList());
    }

    @Test
    void confluentKafkaPythonProducesAndConsumesOverTls() throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python", "apt-get install python3-confluent-kafka",
                PYTHON, "-c", "import confluent_kafka");
        String topic = "python-tls";
        cluster.createTopic(topic, 2);
        String out = ClientCommand.run(null, List.of(PYTHON,
                ClientCommand.clientsDir().resolve("python").resolve("confluent_kafka_tls.py").toString(),
                cluster.bootstrapServers("SSL"), topic, caPem.toString(), Integer.toString(RECORDS)));
        assertEquals(List.of("delivered " + RECORDS, "consumed " + RECORDS, "same"), out.lines().toList());
    }

    /** Needs {@code npm ci} in src/test/clients/kafkajs (.ci/run does it). */
    @Test
    void kafkaJsProducesAndConsumesOverTls() throws Exception {
        ClientCommand.requireInstalled("node", "apt-get install nodejs", "node", "--version");
        if (!Files.isRegularFile(KAFKAJS.resolve("node_modules").resolve("kafkajs").resolve("package.json"))) {
            fail("KafkaJS is not installed: run npm ci in " + KAFKAJS + "; .ci/run does");
        }
        String topic = "kafkajs-tls";
        cluster.createTopic(topic, 2);
        String out = ClientCommand.run(null, List.of("node", KAFKAJS.resolve("kafkajs-tls.js").toString(),
                cluster.bootstrapServers("SSL"), topic, caPem.toString(), Integer.toString(RECORDS)));
        assertEquals(List.of("acknowledged " + RECORDS, "consumed " + RECORDS, "same"), out.lines().toList());
    }

    private static String kcat(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", cluster.bootstrapServers("SSL"),
                "-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + caPem));
        command.addAll(List.of(args));
        return ClientCommand.run(stdin, command);
    }
}
