package io.runnel.it.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways to run the web console: {@code runnel server} starts it beside the broker when
 * {@code console.listeners} is set (a client of the schema registry beside it), and {@code runnel console FILE} runs
 * it alone against the cluster, here read-only.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConsoleCommandsTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    @TempDir
    Path dir;
    private final List<RunnelCli.Running> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(r -> r.process.destroyForcibly());
    }

    @Test
    void theServersConsoleAndAStandaloneOneShowTheCluster() throws Exception {
        RunnelCli cli = new RunnelCli(dir);
        int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        int registryPort = FreePorts.pick();
        int embeddedPort = FreePorts.pick();
        int standalonePort = FreePorts.pick();
        RunnelCli.Running broker = cli.startServer(brokerPort, controllerPort, START_TIMEOUT,
                "schema.registry.listeners=http://127.0.0.1:" + registryPort,
                "console.listeners=http://127.0.0.1:" + embeddedPort);
        running.add(broker);
        assertTrue(broker.out().contains("console http://127.0.0.1:" + embeddedPort), broker.out());

        Document overview = page(embeddedPort, "/", 200);
        assertTrue(overview.text().contains("127.0.0.1:" + brokerPort), overview.text());
        Document schemas = page(embeddedPort, "/schemas", 200);
        assertTrue(schemas.text().contains("Registry http://127.0.0.1:" + registryPort), schemas.text());

        Path consoleFile = dir.resolve("console.properties");
        Files.writeString(consoleFile, String.join("\n",
                "console.listeners=http://127.0.0.1:" + standalonePort,
                "bootstrap.servers=PLAINTEXT://127.0.0.1:" + brokerPort,
                "schema.registry.url=http://127.0.0.1:" + registryPort,
                "console.read.only=true", ""));
        RunnelCli.Running standalone = cli.start("", "console", consoleFile.toString());
        running.add(standalone);
        assertTrue(RunnelCli.awaitLine(standalone, "Console started", START_TIMEOUT), standalone.err());
        Document topics = page(standalonePort, "/topics", 200);
        assertTrue(topics.select("td a").eachText().contains("_schemas"), topics.text());
        assertEquals("Read-only", topics.selectFirst(".readonly").text());
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + standalonePort + "/topics")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=t&partitions=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode());

        assertEquals(0, standalone.terminate(), "SIGTERM stops the console cleanly");
        assertEquals(0, broker.terminate(), "SIGTERM stops the broker and its console cleanly");
    }

    private static Document page(int port, String path, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        return Jsoup.parse(response.body());
    }
}
