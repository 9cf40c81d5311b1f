package io.runnel.it.tls;

import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.ListenerSpec;
import io.runnel.broker.network.ListenerTls;
import io.runnel.broker.network.NetworkConfig;
import io.runnel.broker.network.SocketServer;
import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.security.CertificatePrincipal;
import io.runnel.broker.security.SslContexts;
import io.runnel.broker.security.SslSettings;
import io.runnel.it.wire.ApiConnection;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The principal a handler sees in its RequestContext on an SSL listener with {@code ssl.client.auth=requested}: the
 * client certificate's distinguished name through {@code ssl.principal.mapping.rules}, or User:ANONYMOUS for a
 * client that presents none.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CertificatePrincipalTlsTest {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static SocketServer server;
    private static final List<KafkaPrincipal> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        SslSettings settings = SslSettings.forListener(Map.of(
                "ssl.keystore.location", pki.server("broker").keystore("PKCS12").toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", TestPki.PASSWORD,
                "ssl.truststore.location", pki.caPem().toString(),
                "ssl.truststore.type", "PEM",
                "listener.name.ssl.ssl.client.auth", "requested",
                "listener.name.ssl.ssl.principal.mapping.rules", "RULE:^CN=(.*?),O=Runnel$/$1/L,DEFAULT"), "SSL");
        ApiDispatcher dispatcher = new ApiDispatcher().register(ApiKeys.DESCRIBE_CLUSTER, (ctx, request) -> {
            seen.add(ctx.principal());
            return CompletableFuture.completedFuture(new DescribeClusterResponseData());
        });
        server = new SocketServer(List.of(new ListenerSpec("SSL", "127.0.0.1", 0, SecurityProtocol.SSL)),
                Map.of("SSL", new ListenerTls(SslContexts.server(settings), new CertificatePrincipal(settings.principalMapper()))), Map.of(),
                new NetworkConfig(1024 * 1024, 1, 0, 0, 600_000, 100, -1, ConnectionLimits.NONE), dispatcher);
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMappedCertificateNameAnUnmappedOneAndNoCertificate() throws Exception {
        assertEquals(new KafkaPrincipal("User", "alice"), principalOf(pki.client("alice", "CN=Alice,O=Runnel")));
        assertEquals(new KafkaPrincipal("User", "CN=bob,OU=Ops,O=Elsewhere"),
                principalOf(pki.client("bob", "CN=bob,OU=Ops,O=Elsewhere")));
        assertEquals(KafkaPrincipal.ANONYMOUS, principalOf(null));
    }

    /** Sends one DescribeCluster over TLS, presenting the identity's certificate if any; the principal it was seen as. */
    private static KafkaPrincipal principalOf(TestPki.Identity identity) throws Exception {
        seen.clear();
        SSLContext context = pki.clientContext(identity);
        try (ApiConnection connection = new ApiConnection(
                context.getSocketFactory().createSocket("127.0.0.1", server.boundPort("SSL")), "principal-test")) {
            connection.send(new DescribeClusterRequestData(), (short) 0);
        }
        assertEquals(1, seen.size(), "requests handled");
        return seen.get(0);
    }
}
