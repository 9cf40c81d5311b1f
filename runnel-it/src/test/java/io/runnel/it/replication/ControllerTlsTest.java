package io.runnel.it.replication;

import io.runnel.it.RunnelCluster;
import io.runnel.it.tls.TestPki;
import io.runnel.it.transactions.IsolatedReads;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes whose controller listener is SSL with {@code ssl.client.auth=required}, as Kafka clusters secure their
 * controllers: the metadata quorum runs over mutual TLS, so topics are created, replicated and fail over as on
 * PLAINTEXT, a new active controller is elected over TLS when the old one stops, a broker-only node receives the
 * log over TLS too, and the controller port answers only a TLS peer with a certificate its truststore trusts.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ControllerTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static ThreeNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        nodes = ThreeNodes.start(withTlsControllers(RunnelCluster.builder()));
    }

    private static RunnelCluster.Builder withTlsControllers(RunnelCluster.Builder builder) {
        return builder.brokerProperty("listener.security.protocol.map", "CONTROLLER:SSL,PLAINTEXT:PLAINTEXT")
                .brokerProperty("listener.name.controller.ssl.client.auth", "required")
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.location", pki.server("controller").keystore("PKCS12").toString())
                .brokerProperty("ssl.keystore.password", TestPki.PASSWORD)
                .brokerProperty("ssl.truststore.type", "PEM")
                .brokerProperty("ssl.truststore.location", pki.caPem().toString());
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void followersReplicateAndAStoppedLeaderCatchesUp() throws Exception {
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, nodes.cluster.bootstrapServers());
        LeaderFailover.check(nodes, "controller-tls-replicated", client);
    }

    @Test
    void anotherControllerIsElectedOverTlsWhenTheActiveOneStops() throws Exception {
        nodes.createTopic("controller-tls-before");
        int active = nodes.admin.describeMetadataQuorum().quorumInfo().get().leaderId();
        nodes.cluster.stop(active);
        try {
            awaitCondition(WAIT, () -> activeController() != active && activeController() != -1,
                    "a new active controller");
            nodes.admin.createTopics(List.of(new NewTopic("controller-tls-after", 1, (short) 2))).all()
                    .get(60, TimeUnit.SECONDS);
        } finally {
            nodes.cluster.start(active);
        }
        awaitCondition(WAIT, ControllerTlsTest::everyVoterFollows, "the restarted controller follows the log again");
    }

    @Test
    void aBrokerOnlyNodeRegistersAndServesThroughATlsQuorum() throws Exception {
        try (RunnelCluster split = withTlsControllers(RunnelCluster.builder().roles("controller", "broker")).start()) {
            split.createTopic("broker-only-tls", 1);
            try (KafkaProducer<byte[], byte[]> producer = split.producer(new Properties())) {
                producer.send(new ProducerRecord<>("broker-only-tls", "through-tls".getBytes())).get(60, TimeUnit.SECONDS);
            }
            assertEquals(List.of("through-tls"), IsolatedReads.readAll(split,
                    new TopicPartition("broker-only-tls", 0), "read_uncommitted"));
        }
    }

    @Test
    void theControllerPortAnswersOnlyATrustedCertificate() throws Exception {
        int port = nodes.cluster.controllerPort(nodes.cluster.nodeIds().get(0));
        try (SSLSocket trusted = connect(pki, port)) {
            trusted.startHandshake();
            X509Certificate peer = (X509Certificate) trusted.getSession().getPeerCertificates()[0];
            assertTrue(peer.getSubjectX500Principal().getName().startsWith("CN=controller"), peer.toString());
        }
        // A certificate from another authority: the server refuses it (TLS 1.3 says so at the first read).
        TestPki impostor = TestPki.impostor(Files.createDirectories(dir.resolve("impostor")));
        try (SSLSocket refused = connect(impostor, port)) {
            assertThrows(SSLException.class, () -> {
                refused.startHandshake();
                refused.setSoTimeout(10_000);
                try (InputStream in = refused.getInputStream()) {
                    in.read();
                }
            });
        }
    }

    /** A TLS client presenting a certificate {@code authority} signed and trusting this cluster's authority. */
    private static SSLSocket connect(TestPki authority, int port) throws Exception {
        return (SSLSocket) pki.clientContext(authority.server("client")).getSocketFactory().createSocket("127.0.0.1", port);
    }

    private static boolean everyVoterFollows() {
        try {
            return nodes.admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).voters().stream()
                    .allMatch(v -> v.logEndOffset() > 0);
        } catch (Exception e) {
            return false;
        }
    }

    private static int activeController() {
        try {
            return nodes.admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
        } catch (Exception e) {
            return -1;
        }
    }
}
