package io.runnel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service on an https:// listener with basic authentication, configured with Confluent's keys, and served with a
 * keystore keytool generates for 127.0.0.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsServiceTest {
    private static final String PASSWORD = "store-secret";

    @TempDir
    static Path dir;
    private Path keystore;
    private HttpService http;
    private HttpClient client;

    @BeforeAll
    void start() throws Exception {
        keystore = keytool("server.p12", "PKCS12", PASSWORD);
        Path users = Files.writeString(dir.resolve("users.properties"),
                "alice: alice-secret,developer\nbob: bob-secret,viewer\n");
        HttpEndpoints endpoints = HttpEndpoints.parse("", Map.of("listeners", "https://127.0.0.1:0",
                "ssl.keystore.location", keystore.toString(), "ssl.keystore.password", PASSWORD,
                "ssl.keystore.type", "PKCS12", "ssl.enabled.protocols", "TLSv1.3",
                "authentication.method", "BASIC", "authentication.realm", "SchemaRegistry-Props",
                "authentication.roles", "developer,admin", "authentication.users.file", users.toString()),
                "http://0.0.0.0:8081", "Runnel");
        http = new HttpService("test", endpoints, new HttpService.Limits(1, 30, 4096, 8192, 1024),
                new HttpErrors("test", "application/json", 50001),
                router -> router.get("/subjects").handler(ctx -> ctx.response().end("[]")));
        client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
    }

    @AfterAll
    void stop() {
        if (http != null) {
            http.close();
        }
    }

    @Test
    void aUserWithAnAllowedRoleIsServedOverTls() throws Exception {
        HttpResponse<String> response = get("https", "alice:alice-secret");
        assertEquals(200, response.statusCode());
        assertEquals("[]", response.body());
    }

    @Test
    void wrongOrMissingCredentialsGetConfluents401AndAUserWithoutAnAllowedRoleA403() throws Exception {
        for (String credentials : new String[] {"alice:wrong", "nobody:alice-secret", null}) {
            HttpResponse<String> response = get("https", credentials);
            assertEquals(401, response.statusCode(), credentials);
            assertEquals("{\"error_code\":401,\"message\":\"Unauthorized\"}", response.body());
            assertEquals("Basic realm=\"SchemaRegistry-Props\", charset=\"UTF-8\"",
                    response.headers().firstValue("WWW-Authenticate").orElseThrow());
        }
        HttpResponse<String> viewer = get("https", "bob:bob-secret");
        assertEquals(403, viewer.statusCode());
        assertEquals("{\"error_code\":403,\"message\":\"Forbidden\"}", viewer.body());
    }

    @Test
    void plainHttpToTheHttpsPortGetsNoAnswer() {
        assertThrows(IOException.class, () -> get("http", "alice:alice-secret"));
    }

    @Test
    void aWrongStoreOrPasswordStopsStartUpNamingTheKey() throws Exception {
        Path jks = keytool("server.jks", "JKS", PASSWORD);
        Map<String, String> good = Map.of("schema.registry.listeners", "https://127.0.0.1:0",
                "schema.registry.ssl.keystore.location", jks.toString(),
                "schema.registry.ssl.keystore.password", PASSWORD);
        assertTrue(HttpEndpoints.parse("schema.registry.", good, "", null).tls() != null);
        assertRefused(good, "schema.registry.ssl.keystore.location", dir.resolve("missing.jks").toString(),
                "schema.registry.ssl.keystore.location=");
        assertRefused(good, "schema.registry.ssl.keystore.password", "wrong",
                "schema.registry.ssl.keystore.password does not open it");
        assertRefused(good, "schema.registry.ssl.key.password", "wrong",
                "schema.registry.ssl.key.password does not open the private key");
        assertRefused(good, "schema.registry.ssl.client.authentication", "SOMETIMES",
                "schema.registry.ssl.client.authentication=SOMETIMES must be NONE, REQUESTED or REQUIRED");
        Map<String, String> noStore = new HashMap<>(good);
        noStore.remove("schema.registry.ssl.keystore.location");
        assertEquals("schema.registry.ssl.keystore.location is required by an https:// listener",
                assertThrows(IllegalArgumentException.class,
                        () -> HttpEndpoints.parse("schema.registry.", noStore, "", null)).getMessage());
    }

    @Test
    void theConsolesInlinePasswordsAdmitTheirUsers() {
        BasicAuth auth = BasicAuth.inline("console.basic.auth.passwords", "alice:a:b,bob:secret", "Runnel console");
        assertEquals(BasicAuth.Outcome.ALLOWED, auth.check(basic("alice:a:b")));
        assertEquals(BasicAuth.Outcome.UNAUTHENTICATED, auth.check(basic("bob:a:b")));
        assertEquals(BasicAuth.Outcome.UNAUTHENTICATED, auth.check("Basic !!"));
        for (String wrong : List.of("alice", "alice:", ":secret", "alice:x,alice:y")) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> BasicAuth.inline("console.basic.auth.passwords", wrong, "r")).getMessage();
            assertTrue(message.startsWith("console.basic.auth.passwords: each entry must be"), message);
        }
    }

    private void assertRefused(Map<String, String> good, String key, String value, String expected) {
        Map<String, String> wrong = new HashMap<>(good);
        wrong.put(key, value);
        String message = assertThrows(IllegalArgumentException.class,
                () -> HttpEndpoints.parse("schema.registry.", wrong, "", null)).getMessage();
        assertTrue(message.contains(expected), message);
    }

    private HttpResponse<String> get(String scheme, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + http.boundPort(0)
                + "/subjects"));
        if (credentials != null) {
            request.header("Authorization", basic(credentials));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** A self-signed server key for 127.0.0.1, as an operator makes one with keytool. */
    private Path keytool(String name, String type, String password) throws Exception {
        Path store = dir.resolve(name);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", store.toString(),
                "-storetype", type, "-storepass", password, "-keypass", password).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), out);
        return store;
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory trusted = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusted.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trusted.getTrustManagers(), null);
        return context;
    }
}
