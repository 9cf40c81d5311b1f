package io.runnel.it.tls;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificate rotation as Kafka allows it: IncrementalAlterConfigs of this broker's
 * {@code listener.name.ssl.ssl.keystore.location} (and password) makes the listener's new connections present the new
 * certificate, with no restart. A keystore that cannot be used is refused with INVALID_REQUEST naming the key and
 * the listener keeps serving the current one; the setting is per broker only; the password is described as
 * sensitive, without its value.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeystoreRotationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String LOCATION = "listener.name.ssl.ssl.keystore.location";
    private static final String PASSWORD = "listener.name.ssl.ssl.keystore.password";

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPki.Identity first;
    private static RunnelCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        first = pki.server("broker");
        cluster = RunnelCluster.builder().sslListener()
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.location", first.keystore("PKCS12").toString())
                .brokerProperty("ssl.keystore.password", TestPki.PASSWORD)
                .start();
        admin = cluster.admin();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void newConnectionsPresentTheNewCertificateAndBadStoresAreRefused() throws Exception {
        assertEquals(first.certificate().getSerialNumber(), servedSerial());
        TestPki.Identity second = first.renewed("broker-renewed");
        alter("1", Map.of(LOCATION, second.keystore("PKCS12").toString(), PASSWORD, TestPki.PASSWORD));
        Await.awaitCondition(WAIT, () -> second.certificate().getSerialNumber().equals(servedSerial()),
                "the listener presents the renewed certificate");

        Path missing = dir.resolve("missing.p12");
        ExecutionException e = assertThrows(ExecutionException.class, () -> alter("1", Map.of(LOCATION, missing.toString())));
        assertInstanceOf(InvalidRequestException.class, e.getCause());
        assertEquals("Invalid config value for resource ConfigResource(type=BROKER, name='1'): Invalid value " + missing
                + " for configuration " + LOCATION + ": no such file", e.getCause().getMessage());

        e = assertThrows(ExecutionException.class, () -> alter("", Map.of(LOCATION, second.keystore("PKCS12").toString())));
        assertInstanceOf(InvalidRequestException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("Cannot update these configs at default cluster level, broker id "
                + "must be specified"), e.getCause().getMessage());

        Config described = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                .all().get().values().iterator().next();
        ConfigEntry location = described.get(LOCATION);
        assertEquals(second.keystore("PKCS12").toString(), location.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, location.source());
        ConfigEntry password = described.get(PASSWORD);
        assertTrue(password.isSensitive());
        assertNull(password.value());
        assertEquals(second.certificate().getSerialNumber(), servedSerial(), "still the renewed certificate");
    }

    private static void alter(String broker, Map<String, String> values) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker);
        List<AlterConfigOp> ops = values.entrySet().stream()
                .map(v -> new AlterConfigOp(new ConfigEntry(v.getKey(), v.getValue()), AlterConfigOp.OpType.SET)).toList();
        admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    }

    /** The serial number of the certificate a new TLS connection to the listener is shown. */
    private static BigInteger servedSerial() {
        try {
            SSLContext context = pki.clientContext(null);
            String[] hostPort = cluster.bootstrapServers("SSL").split(":");
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(hostPort[0],
                    Integer.parseInt(hostPort[1]))) {
                socket.startHandshake();
                return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
