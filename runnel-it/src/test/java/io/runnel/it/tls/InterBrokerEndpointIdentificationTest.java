package io.runnel.it.tls;

import io.runnel.broker.interbroker.InterBrokerClient;
import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.ListenerSpec;
import io.runnel.broker.network.ListenerTls;
import io.runnel.broker.network.NetworkConfig;
import io.runnel.broker.network.SocketServer;
import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.security.CertificatePrincipal;
import io.runnel.broker.security.SslContexts;
import io.runnel.broker.security.SslSettings;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The inter-broker client checks the certificate of the broker it connects to against the host it dialled
 * ({@code ssl.endpoint.identification.algorithm=https}, Kafka's default): a broker whose certificate names another
 * host is refused, and is reached once the check is turned off (an empty value), as in Kafka.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterBrokerEndpointIdentificationTest {
    private static final short API_VERSIONS_VERSION = 3;

    @TempDir
    Path dir;

    @Test
    void aCertificateForAnotherHostIsRefusedUnlessTheCheckIsOff() throws Exception {
        TestPki pki = TestPki.create(dir);
        Map<String, String> props = new HashMap<>(Map.of(
                "ssl.keystore.location", pki.serverElsewhere("broker", "broker.elsewhere.example").keystore("PKCS12").toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", TestPki.PASSWORD,
                "ssl.truststore.location", pki.caPem().toString(),
                "ssl.truststore.type", "PEM"));
        SslSettings server = SslSettings.forListener(props, "SSL");
        try (SocketServer broker = new SocketServer(List.of(new ListenerSpec("SSL", "127.0.0.1", 0, SecurityProtocol.SSL)),
                Map.of("SSL", new ListenerTls(SslContexts.server(server), new CertificatePrincipal(server.principalMapper()))), Map.of(),
                new NetworkConfig(1024 * 1024, 1, 0, 0, 600_000, 100, -1, ConnectionLimits.NONE), new ApiDispatcher())) {
            broker.start();
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", broker.boundPort("SSL"));

            try (InterBrokerClient checking = new InterBrokerClient(1, id -> address, SslContexts.client(server), null)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> apiVersions(checking));
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                assertEquals("No subject alternative names matching IP address 127.0.0.1 found", root.getMessage(),
                        e.toString());
            }

            props.put("ssl.endpoint.identification.algorithm", "");
            SslSettings unchecked = SslSettings.forListener(props, "SSL");
            try (InterBrokerClient trusting = new InterBrokerClient(1, id -> address, SslContexts.client(unchecked), null)) {
                assertEquals(Errors.NONE.code(), apiVersions(trusting).errorCode());
            }
        }
    }

    private static ApiVersionsResponseData apiVersions(InterBrokerClient client) throws Exception {
        return (ApiVersionsResponseData) client.send(2, InterBrokerClient.CONTROL, new ApiVersionsRequestData()
                .setClientSoftwareName("runnel-it").setClientSoftwareVersion("1"), API_VERSIONS_VERSION, 20_000).get();
    }
}
