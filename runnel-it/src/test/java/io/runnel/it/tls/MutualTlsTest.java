package io.runnel.it.tls;

import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code listener.name.ssl.ssl.client.auth=required} on a listener whose settings are all per-listener overrides,
 * the broker's key and certificate chain inline in PEM ({@code ssl.keystore.certificate.chain} /
 * {@code ssl.keystore.key}, the key encrypted with {@code ssl.key.password}) and its truststore inline too
 * ({@code ssl.truststore.certificates}): a client with a certificate the authority signed is served, a client
 * without a certificate and one whose certificate another authority signed are refused with
 * SslAuthenticationException, and the broker serves the first client again afterwards. The untrusted certificate
 * names the trusted authority as its issuer, so the client does present it and the broker's verification refuses it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MutualTlsTest {
    private static final String TOPIC = "mtls";

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TestPki.Identity broker = pki.server("broker");
        String prefix = "listener.name.ssl.";
        cluster = RunnelCluster.builder().sslListener()
                .brokerProperty(prefix + "ssl.client.auth", "required")
                .brokerProperty(prefix + "ssl.keystore.type", "PEM")
                .brokerProperty(prefix + "ssl.keystore.certificate.chain", broker.certificateChainPem())
                .brokerProperty(prefix + "ssl.keystore.key", broker.encryptedKeyPem())
                .brokerProperty(prefix + "ssl.key.password", TestPki.PASSWORD)
                .brokerProperty(prefix + "ssl.truststore.type", "PEM")
                .brokerProperty(prefix + "ssl.truststore.certificates", Files.readString(pki.caPem()))
                .start();
        cluster.createTopic(TOPIC, 1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClientWithATrustedCertificateIsServed() throws Exception {
        assertEquals(0, produce(trustedClient()).partition());
    }

    @Test
    void aClientWithoutACertificateIsRefusedAndOthersAreServed() throws Exception {
        Properties noCertificate = TlsClients.trusting(pki.caPem(), "PEM");
        assertRefused(noCertificate);
        produce(trustedClient());
    }

    @Test
    void aClientWithAnUntrustedCertificateIsRefusedAndOthersAreServed() throws Exception {
        TestPki other = TestPki.impostor(Files.createDirectories(dir.resolve("impostor")));
        Properties untrusted = TlsClients.withCertificate(TlsClients.trusting(pki.caPem(), "PEM"),
                other.client("mallory", "CN=mallory,O=Elsewhere"));
        assertRefused(untrusted);
        produce(trustedClient());
    }

    private static Properties trustedClient() {
        return TlsClients.withCertificate(TlsClients.trusting(pki.caPem(), "PEM"), pki.client("alice", "CN=alice,O=Runnel"));
    }

    private static void assertRefused(Properties tls) {
        Properties props = TlsClients.failingFast(tls);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers("SSL"));
        try (Admin admin = Admin.create(props)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.describeCluster().nodes().get());
            assertInstanceOf(SslAuthenticationException.class, e.getCause(), e.toString());
        }
    }

    private static RecordMetadata produce(Properties tls) throws Exception {
        Properties props = new Properties();
        props.putAll(tls);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers("SSL"));
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            return producer.send(new ProducerRecord<>(TOPIC, "hello".getBytes(StandardCharsets.UTF_8))).get();
        }
    }
}
