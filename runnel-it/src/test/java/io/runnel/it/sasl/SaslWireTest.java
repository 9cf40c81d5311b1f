package io.runnel.it.sasl;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.runnel.broker.handlers.SaslReauthenticationHandler;
import io.runnel.broker.network.ConnectionLimits;
import io.runnel.broker.network.ListenerSasl;
import io.runnel.broker.network.ListenerSpec;
import io.runnel.broker.network.NetworkConfig;
import io.runnel.broker.network.SocketServer;
import io.runnel.broker.protocol.ApiDispatcher;
import io.runnel.broker.protocol.SaslServers;
import io.runnel.broker.security.SaslSettings;
import io.runnel.it.Await;
import io.runnel.it.wire.ApiConnection;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * SaslHandshake and SaslAuthenticate on the wire of a SASL_PLAINTEXT listener offering PLAIN, as a client sends
 * them: the principal the handlers see once authenticated, and each way a connection goes wrong (another request
 * first, frames out of order, a mechanism not offered, failed credentials, a token larger than
 * sasl.server.max.receive.size), each closing that connection only; and on a listener with
 * connections.max.reauth.ms (KIP-368) the session's lifetime in SaslAuthenticate, a new login on the same connection
 * renewing it, a connection used after its session closed, a new login as another user refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SaslWireTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final short HANDSHAKE_VERSION = 1;
    private static final short AUTHENTICATE_VERSION = 2;
    private static final String LISTENER = "SASL_PLAINTEXT";
    private static final String[] LOGGERS = {"io.runnel.broker.network.SaslAuthenticator",
            "io.runnel.broker.network.FrameDecoder"};

    /** connections.max.reauth.ms of the second listener, whose sessions end. */
    private static final long SESSION_MS = 4000;

    private static SocketServer server;
    private static SocketServer reauthenticating;
    private static final List<KafkaPrincipal> seen = new CopyOnWriteArrayList<>();
    private static final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        SaslSettings settings = SaslSettings.forListener(Map.of("sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", SaslClients.BROKER_PLAIN_JAAS,
                "sasl.server.max.receive.size", "65536"), LISTENER);
        ApiDispatcher dispatcher = new ApiDispatcher()
                .register(ApiKeys.DESCRIBE_CLUSTER, (ctx, request) -> {
                    seen.add(ctx.principal());
                    return CompletableFuture.completedFuture(new DescribeClusterResponseData());
                })
                .register(ApiKeys.SASL_HANDSHAKE, new SaslReauthenticationHandler())
                .register(ApiKeys.SASL_AUTHENTICATE, new SaslReauthenticationHandler());
        server = saslServer(settings, dispatcher);
        reauthenticating = saslServer(SaslSettings.forListener(Map.of("sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", SaslClients.BROKER_PLAIN_JAAS,
                "connections.max.reauth.ms", Long.toString(SESSION_MS)), LISTENER), dispatcher);
        log.start();
        for (String name : LOGGERS) {
            ((Logger) LoggerFactory.getLogger(name)).addAppender(log);
        }
    }

    private static SocketServer saslServer(SaslSettings settings, ApiDispatcher dispatcher) throws Exception {
        SocketServer started = new SocketServer(List.of(new ListenerSpec(LISTENER, "127.0.0.1", 0,
                SecurityProtocol.SASL_PLAINTEXT)), Map.of(), Map.of(LISTENER, new ListenerSasl(settings.mechanisms(),
                SaslServers.of(settings, (user, mechanism) -> null), settings.maxReceiveBytes(), settings.maxReauthMs())),
                new NetworkConfig(1024 * 1024, 1, 0, 0, 600_000, 100, -1, ConnectionLimits.NONE), dispatcher);
        started.start();
        return started;
    }

    @AfterAll
    static void stop() {
        for (String name : LOGGERS) {
            ((Logger) LoggerFactory.getLogger(name)).detachAppender(log);
        }
        for (SocketServer started : new SocketServer[] {server, reauthenticating}) {
            if (started != null) {
                started.close();
            }
        }
    }

    @Test
    void aSessionAnnouncesItsLifetimeAndALoginOnTheSameConnectionRenewsIt() throws Exception {
        long start = System.nanoTime();
        try (ApiConnection connection = connect(reauthenticating)) {
            handshake(connection, "PLAIN");
            SaslAuthenticateResponseData first = authenticate(connection, plainToken("alice", "alice-secret"));
            assertEquals(Errors.NONE.code(), first.errorCode());
            assertEquals(SESSION_MS, first.sessionLifetimeMs(), "connections.max.reauth.ms");

            awaitElapsed(start, SESSION_MS * 5 / 8);
            assertEquals(Errors.NONE.code(), handshake(connection, "PLAIN").errorCode());
            long renewed = System.nanoTime();
            SaslAuthenticateResponseData again = authenticate(connection, plainToken("alice", "alice-secret"));
            assertEquals(Errors.NONE.code(), again.errorCode());
            assertEquals(SESSION_MS, again.sessionLifetimeMs());

            awaitElapsed(start, SESSION_MS * 9 / 8);
            connection.send(new DescribeClusterRequestData(), (short) 0);
            assertEquals(List.of(new KafkaPrincipal("User", "alice")), seen,
                    "served after the first session's end: the new login renewed it");

            awaitElapsed(renewed, SESSION_MS + 500);
            connection.sendOnly(new DescribeClusterRequestData(), (short) 0);
            connection.assertClosedByBroker();
        }
        awaitWarn("after the SASL session ended");
        assertEquals(1, seen.size(), "the request after the session's end reached no handler");
    }

    @Test
    void aNewLoginAsAnotherUserIsRefusedAndEndsTheSession() throws Exception {
        try (ApiConnection connection = connect(reauthenticating)) {
            handshake(connection, "PLAIN");
            assertEquals(Errors.NONE.code(), authenticate(connection, plainToken("alice", "alice-secret")).errorCode());
            handshake(connection, "PLAIN");
            SaslAuthenticateResponseData other = authenticate(connection, plainToken("admin", "admin-secret"));
            assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), other.errorCode());
            assertEquals("Cannot change principals during re-authentication from User:alice to User:admin",
                    other.errorMessage());
            connection.sendOnly(new DescribeClusterRequestData(), (short) 0);
            connection.assertClosedByBroker();
        }
        assertEquals(List.of(), seen);
    }

    private static void awaitElapsed(long sinceNanos, long ms) {
        Await.awaitCondition(WAIT, () -> System.nanoTime() - sinceNanos >= TimeUnit.MILLISECONDS.toNanos(ms),
                ms + " ms since then");
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    @Test
    void apiVersionsHandshakeAndPlainTokenAuthenticateAsTheUser() throws Exception {
        try (ApiConnection connection = connect()) {
            ApiVersionsResponseData versions = (ApiVersionsResponseData) connection.send(new ApiVersionsRequestData()
                    .setClientSoftwareName("sasl-test").setClientSoftwareVersion("1"), (short) 3);
            assertEquals(Errors.NONE.code(), versions.errorCode());
            assertNotNull(versions.apiKeys().find(ApiKeys.SASL_AUTHENTICATE.id), "SaslAuthenticate advertised");
            SaslHandshakeResponseData handshake = handshake(connection, "PLAIN");
            assertEquals(Errors.NONE.code(), handshake.errorCode());
            assertEquals(List.of("PLAIN"), handshake.mechanisms());
            SaslAuthenticateResponseData authenticated = authenticate(connection, plainToken("alice", "alice-secret"));
            assertEquals(Errors.NONE.code(), authenticated.errorCode());
            assertArrayEquals(new byte[0], authenticated.authBytes());
            connection.send(new DescribeClusterRequestData(), (short) 0);
            assertEquals(List.of(new KafkaPrincipal("User", "alice")), seen);

            // The connection is authenticated: SASL again is ILLEGAL_SASL_STATE, and it stays open.
            assertEquals(Errors.ILLEGAL_SASL_STATE.code(), handshake(connection, "PLAIN").errorCode());
            connection.send(new DescribeClusterRequestData(), (short) 0);
            assertEquals(2, seen.size());
        }
    }

    @Test
    void aRequestBeforeAuthenticationClosesTheConnectionUnanswered() throws Exception {
        try (ApiConnection connection = connect()) {
            connection.sendOnly(new DescribeClusterRequestData(), (short) 0);
            connection.assertClosedByBroker();
        }
        awaitWarn("unexpected DescribeCluster v0 (correlation id 1) before SASL authentication");
        assertEquals(List.of(), seen, "no request reached a handler");
        assertServesOthers();
    }

    @Test
    void saslAuthenticateBeforeTheHandshakeClosesTheConnection() throws Exception {
        try (ApiConnection connection = connect()) {
            connection.sendOnly(new SaslAuthenticateRequestData().setAuthBytes(plainToken("alice", "alice-secret")),
                    AUTHENTICATE_VERSION);
            connection.assertClosedByBroker();
        }
        awaitWarn("unexpected SaslAuthenticate v2 (correlation id 1) before SASL authentication");
        assertServesOthers();
    }

    @Test
    void anotherRequestAfterTheHandshakeIsIllegalSaslStateAndClosesTheConnection() throws Exception {
        try (ApiConnection connection = connect()) {
            handshake(connection, "PLAIN");
            SaslHandshakeResponseData again = handshake(connection, "PLAIN");
            assertEquals(Errors.ILLEGAL_SASL_STATE.code(), again.errorCode());
            connection.assertClosedByBroker();
        }
        awaitWarn("Unexpected Kafka request of type SASL_HANDSHAKE during SASL authentication.");
        assertServesOthers();
    }

    @Test
    void aMechanismNotOfferedIsUnsupportedAndClosesTheConnection() throws Exception {
        try (ApiConnection connection = connect()) {
            SaslHandshakeResponseData handshake = handshake(connection, "SCRAM-SHA-512");
            assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM.code(), handshake.errorCode());
            assertEquals(List.of("PLAIN"), handshake.mechanisms());
            connection.assertClosedByBroker();
        }
        assertServesOthers();
    }

    @Test
    void aWrongPasswordAndAnUnknownUserFailWithKafkasMessage() throws Exception {
        for (String[] credentials : new String[][]{{"alice", "wrong"}, {"mallory", "alice-secret"}}) {
            try (ApiConnection connection = connect()) {
                handshake(connection, "PLAIN");
                SaslAuthenticateResponseData failed = authenticate(connection, plainToken(credentials[0], credentials[1]));
                assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), failed.errorCode());
                assertEquals("Authentication failed: Invalid username or password", failed.errorMessage());
                connection.assertClosedByBroker();
            }
        }
        Await.awaitCondition(WAIT, () -> logged(Level.INFO, "Failed authentication with /127.0.0.1:"),
                "the failures logged with the peer's address");
        assertEquals(List.of(), seen);
        assertServesOthers();
    }

    @Test
    void aTokenLargerThanTheSaslReceiveSizeClosesTheConnection() throws Exception {
        try (ApiConnection connection = connect()) {
            handshake(connection, "PLAIN");
            connection.sendOnly(new SaslAuthenticateRequestData().setAuthBytes(new byte[70_000]), AUTHENTICATE_VERSION);
            connection.assertClosedByBroker();
        }
        awaitWarn("is outside 0..65536 (sasl.server.max.receive.size)");
        assertServesOthers();
    }

    private static ApiConnection connect() throws Exception {
        return connect(server);
    }

    private static ApiConnection connect(SocketServer to) throws Exception {
        ApiConnection connection = new ApiConnection(new Socket("127.0.0.1", to.boundPort(LISTENER)), "sasl-test");
        connection.setReadTimeout(WAIT);
        return connection;
    }

    private static SaslHandshakeResponseData handshake(ApiConnection connection, String mechanism) throws Exception {
        return (SaslHandshakeResponseData) connection.send(new SaslHandshakeRequestData().setMechanism(mechanism),
                HANDSHAKE_VERSION);
    }

    private static SaslAuthenticateResponseData authenticate(ApiConnection connection, byte[] token) throws Exception {
        return (SaslAuthenticateResponseData) connection.send(new SaslAuthenticateRequestData().setAuthBytes(token),
                AUTHENTICATE_VERSION);
    }

    /** RFC 4616: authorization id (empty), NUL, user name, NUL, password. */
    private static byte[] plainToken(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** Another client authenticates and is served meanwhile. */
    private static void assertServesOthers() throws Exception {
        int before = seen.size();
        try (ApiConnection connection = connect()) {
            handshake(connection, "PLAIN");
            assertEquals(Errors.NONE.code(), authenticate(connection, plainToken("admin", "admin-secret")).errorCode());
            connection.send(new DescribeClusterRequestData(), (short) 0);
        }
        assertEquals(new KafkaPrincipal("User", "admin"), seen.get(before));
    }

    private static void awaitWarn(String text) {
        Await.awaitCondition(WAIT, () -> logged(Level.WARN, text), "a WARN containing '" + text + "'");
    }

    private static boolean logged(Level level, String text) {
        synchronized (log) {
            return log.list.stream().anyMatch(e -> e.getLevel() == level && e.getFormattedMessage().contains(text));
        }
    }
}
