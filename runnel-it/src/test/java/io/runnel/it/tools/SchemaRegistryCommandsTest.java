package io.runnel.it.tools;

import static io.runnel.it.registry.RegistryHttp.schemaBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.testkit.FreePorts;
import io.runnel.it.registry.RegistryHttp;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways to run the registry: {@code runnel server} starts it beside the broker when
 * {@code schema.registry.listeners} is set, and {@code runnel schema-registry FILE} runs it alone from a file with
 * Confluent's names ({@code listeners}, {@code kafkastore.bootstrap.servers}); both serve the same {@code _schemas}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SchemaRegistryCommandsTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Course\",\"fields\":[{\"name\":\"title\","
            + "\"type\":\"string\"}]}";
    @TempDir
    Path dir;
    private final List<RunnelCli.Running> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(r -> r.process.destroyForcibly());
    }

    @Test
    void theServersRegistryAndAStandaloneOneShareTheTopic() throws Exception {
        RunnelCli cli = new RunnelCli(dir);
        int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        int embeddedPort = FreePorts.pick();
        int standalonePort = FreePorts.pick();
        RunnelCli.Running broker = cli.startServer(brokerPort, controllerPort, START_TIMEOUT,
                "schema.registry.listeners=http://127.0.0.1:" + embeddedPort);
        running.add(broker);
        assertTrue(broker.out().contains("schema registry http://127.0.0.1:" + embeddedPort), broker.out());

        RegistryHttp embedded = RegistryHttp.client(embeddedPort);
        HttpResponse<String> registered = embedded.post("/subjects/courses-value/versions", schemaBody(SCHEMA));
        assertEquals(200, registered.statusCode(), registered.body());
        int id = new JsonObject(registered.body()).getInteger("id");

        Path registryFile = dir.resolve("schema-registry.properties");
        Files.writeString(registryFile, String.join("\n",
                "listeners=http://127.0.0.1:" + standalonePort,
                "kafkastore.bootstrap.servers=PLAINTEXT://127.0.0.1:" + brokerPort, ""));
        RunnelCli.Running standalone = cli.start("", "schema-registry", registryFile.toString());
        running.add(standalone);
        assertTrue(RunnelCli.awaitLine(standalone, "Schema registry started", START_TIMEOUT), standalone.err());
        HttpResponse<String> schema = RegistryHttp.client(standalonePort).get("/schemas/ids/" + id + "/schema");
        assertEquals(200, schema.statusCode(), schema.body());
        assertEquals(SCHEMA, schema.body());
        assertEquals(0, standalone.terminate(), "SIGTERM stops the registry cleanly");
        assertEquals(0, broker.terminate(), "SIGTERM stops the broker and its registry cleanly");
    }
}
