package io.runnel.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.console.ConsoleConfig;
import io.runnel.console.ConsoleServer;
import io.runnel.it.RunnelCluster;
import io.runnel.it.compat.ClientCommand;
import io.runnel.registry.RegistryConfig;
import io.runnel.registry.SchemaRegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry on an https:// listener with basic auth, configured with Confluent's keys as
 * schema-registry.properties writes them and used by confluent-kafka-python's SchemaRegistryClient
 * ({@code src/test/clients/python/schema_registry_https.py}), and the console on an https:// listener with its
 * login; both with certificates the test authority signs, over one broker.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpsServicesTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static RunnelCluster cluster;
    private static SchemaRegistryServer registry;
    private static ConsoleServer console;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python's schema registry client",
                "apt-get install python3-confluent-kafka python3-requests", PYTHON, "-c",
                "import confluent_kafka.schema_registry");
        pki = TestPki.create(dir);
        cluster = RunnelCluster.builder().start();
        Path users = Files.writeString(dir.resolve("password-file"),
                "# user: password,roles, as Jetty's PropertyFileLoginModule reads it\n"
                        + "alice: alice-secret,developer\nbob: bob-secret,viewer\n");
        registry = SchemaRegistryServer.start(RegistryConfig.parse(Map.of(
                "listeners", "https://127.0.0.1:0",
                "kafkastore.bootstrap.servers", cluster.bootstrapServers(),
                "ssl.keystore.location", pki.server("registry").keystore("PKCS12").toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", TestPki.PASSWORD,
                "ssl.key.password", TestPki.PASSWORD,
                "authentication.method", "BASIC",
                "authentication.realm", "SchemaRegistry-Props",
                "authentication.roles", "developer",
                "authentication.users.file", users.toString())));
        console = ConsoleServer.start(ConsoleConfig.parse(Map.of(
                "console.listeners", "https://127.0.0.1:0",
                "bootstrap.servers", cluster.bootstrapServers(),
                "console.ssl.keystore.location", pki.server("console").keystore("JKS").toString(),
                "console.ssl.keystore.password", TestPki.PASSWORD,
                "console.basic.auth.passwords", "carol:carol-secret")));
        client = HttpClient.newBuilder().sslContext(pki.clientContext(null)).build();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {console, registry, cluster}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void confluentKafkaPythonRegistersAndFetchesOverHttpsAndAWrongPasswordGets401() throws Exception {
        String url = "https://127.0.0.1:" + registry.boundPort(0);
        // requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, when set, override the client's ssl.ca.location.
        String out = ClientCommand.run("", List.of("/usr/bin/env", "-u", "REQUESTS_CA_BUNDLE", "-u", "CURL_CA_BUNDLE",
                PYTHON, ClientCommand.clientsDir().resolve("python")
                .resolve("schema_registry_https.py").toString(), url, pki.caPem().toString(), "alice:alice-secret",
                "alice:wrong", "https-users-value"));
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(0).matches("registered https-users-value id \\d+"), out);
        assertEquals(List.of("fetched AVRO 1", "wrong password 401 401"), lines.subList(1, 3));
    }

    @Test
    void aUserWithoutTheRoleGets403AndPlainHttpToTheHttpsPortIsRefused() throws Exception {
        HttpResponse<String> viewer = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + registry.boundPort(0) + "/subjects")).header("Authorization", basic("bob:bob-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, viewer.statusCode(), viewer.body());
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + registry.boundPort(0) + "/subjects"))
                .header("Authorization", basic("alice:alice-secret")).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void theConsoleServesItsPagesOverHttpsAfterItsLogin() throws Exception {
        HttpRequest.Builder overview = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + console.boundPort(0)
                + "/"));
        assertEquals(401, client.send(overview.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> page = client.send(overview.header("Authorization", basic("carol:carol-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("<html"), page.body());
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
