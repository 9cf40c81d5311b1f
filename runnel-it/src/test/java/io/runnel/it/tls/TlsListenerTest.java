package io.runnel.it.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SSL listener beside a PLAINTEXT one on a node whose keystore and truststore are JKS files: kafka-clients
 * trusting the authority through a JKS, PKCS12 or PEM truststore produce and consume over TLS, and the records are
 * the same on both listeners (fetched records are copied into TLS records, not sent with sendfile). A plaintext
 * client on the TLS port, and garbage before and during a handshake, close only that connection, with a WARN.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsListenerTest {
    private static final int RECORDS = 500;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static RunnelCluster cluster;
    private static ListAppender<ILoggingEvent> tlsLog;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TestPki.Identity broker = pki.server("broker");
        cluster = RunnelCluster.builder().sslListener()
                .brokerProperty("ssl.keystore.location", broker.keystore("JKS").toString())
                .brokerProperty("ssl.keystore.password", TestPki.PASSWORD)
                .brokerProperty("ssl.key.password", TestPki.PASSWORD)
                .brokerProperty("ssl.truststore.location", pki.truststore("JKS").toString())
                .brokerProperty("ssl.truststore.password", TestPki.PASSWORD)
                .start();
        Logger logger = (Logger) LoggerFactory.getLogger("io.runnel.broker.network.TlsConnection");
        tlsLog = new ListAppender<>();
        tlsLog.start();
        logger.addAppender(tlsLog);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("io.runnel.broker.network.TlsConnection")).detachAppender(tlsLog);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jksTruststoreRoundTrip() throws Exception {
        roundTrip("tls-jks", TlsClients.trusting(pki.truststore("JKS"), "JKS"));
    }

    @Test
    void pkcs12TruststoreRoundTrip() throws Exception {
        roundTrip("tls-pkcs12", TlsClients.trusting(pki.truststore("PKCS12"), "PKCS12"));
    }

    @Test
    void pemTruststoreRoundTrip() throws Exception {
        roundTrip("tls-pem", TlsClients.trusting(pki.caPem(), "PEM"));
    }

    @Test
    void tls12OnlyClientRoundTrip() throws Exception {
        Properties props = TlsClients.trusting(pki.caPem(), "PEM");
        props.put(SslConfigs.SSL_PROTOCOL_CONFIG, "TLSv1.2");
        props.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, "TLSv1.2");
        roundTrip("tls-12", props);
    }

    /** Produced over TLS, read back over TLS and over PLAINTEXT: the same records, byte for byte. */
    private void roundTrip(String topic, Properties tls) throws Exception {
        cluster.createTopic(topic, 2);
        Properties producerProps = withBootstrap(tls);
        producerProps.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(producerProps)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, bytes("k" + i), bytes("value-" + i)));
            }
        }
        assertEquals(expected(), read(topic, withBootstrap(tls)), "read over TLS");
        assertEquals(expected(), read(topic, new Properties()), "read over PLAINTEXT");
    }

    @Test
    void aPlaintextClientOnTheTlsPortFailsAndOthersAreServed() throws Exception {
        Properties plaintextOnTlsPort = TlsClients.failingFast(new Properties());
        plaintextOnTlsPort.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers("SSL"));
        try (Admin admin = Admin.create(plaintextOnTlsPort)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> admin.describeCluster().nodes().get());
            assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, e.getCause());
        }
        Await.awaitCondition(WAIT, () -> warned("TLS handshake failed: NotSslRecordException"),
                "a WARN for the plaintext client");
        assertServesTls();
    }

    @Test
    void garbageBeforeTheHandshakeClosesThatConnection() throws Exception {
        try (Socket socket = tlsPortSocket()) {
            byte[] garbage = new byte[4096];
            new Random(7).nextBytes(garbage);
            garbage[0] = 0x7f; // not a TLS record type
            sendUntilClosed(socket, garbage);
            String peer = peer(socket);
            Await.awaitCondition(WAIT, () -> warned(peer), "a WARN naming " + peer);
        }
        assertServesTls();
    }

    @Test
    void garbageDuringTheHandshakeClosesThatConnection() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", 0);
        engine.setUseClientMode(true);
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), hello);
        assertEquals(SSLEngineResult.Status.OK, result.getStatus());
        try (Socket socket = tlsPortSocket()) {
            OutputStream out = socket.getOutputStream();
            out.write(hello.array(), 0, hello.position());
            out.flush();
            // The server answers with its hello; the client's next record is garbage with a handshake record header.
            assertTrue(socket.getInputStream().read() >= 0, "the server hello");
            byte[] garbage = new byte[2048];
            new Random(11).nextBytes(garbage);
            garbage[0] = 22; // handshake
            garbage[1] = 3;
            garbage[2] = 3;
            garbage[3] = 0x07;
            garbage[4] = (byte) 0xfb;
            sendUntilClosed(socket, garbage);
            String peer = peer(socket);
            Await.awaitCondition(WAIT, () -> warned(peer), "a WARN naming " + peer);
        }
        assertServesTls();
    }

    private static Socket tlsPortSocket() throws Exception {
        String[] hostPort = cluster.bootstrapServers("SSL").split(":");
        Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Writes the bytes and reads until the broker closes the connection (end of stream or reset). */
    private static void sendUntilClosed(Socket socket, byte[] bytes) throws Exception {
        InputStream in = socket.getInputStream();
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            while (in.read() >= 0) {
                // the broker's alert, if any, before it closes
            }
        } catch (SocketException e) {
            // reset by the broker: closed as well
        }
    }

    private static String peer(Socket socket) {
        return "/127.0.0.1:" + socket.getLocalPort();
    }

    private static boolean warned(String text) {
        synchronized (tlsLog) {
            return tlsLog.list.stream().anyMatch(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(text));
        }
    }

    private static void assertServesTls() throws Exception {
        Properties props = withBootstrap(TlsClients.trusting(pki.caPem(), "PEM"));
        try (Admin admin = Admin.create(props)) {
            assertEquals(1, admin.describeCluster().nodes().get().size());
        }
    }

    private static Properties withBootstrap(Properties tls) {
        Properties props = new Properties();
        props.putAll(tls);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers("SSL"));
        return props;
    }

    private static List<String> read(String topic, Properties overrides) {
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(overrides)) {
            TopicReader.readAll(consumer, TopicReader.partitions(topic, 2), WAIT,
                    (ConsumerRecord<byte[], byte[]> r) -> records.add(new String(r.key(), StandardCharsets.UTF_8) + "="
                            + new String(r.value(), StandardCharsets.UTF_8)));
        }
        records.sort(null);
        return records;
    }

    private static List<String> expected() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            expected.add("k" + i + "=value-" + i);
        }
        expected.sort(null);
        return expected;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
