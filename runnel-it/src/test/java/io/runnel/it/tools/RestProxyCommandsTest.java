package io.runnel.it.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.testkit.FreePorts;
import io.runnel.it.compat.ClientCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two ways to run the REST proxy: {@code runnel server} starts it beside the broker when
 * {@code rest.proxy.listeners} is set (a client of the schema registry beside it for avro), and
 * {@code runnel rest-proxy FILE} runs it alone from a file with Confluent's names; curl drives it as Confluent's
 * documentation does.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RestProxyCommandsTest {
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
    void theServersProxyAndAStandaloneOneServeTheCluster() throws Exception {
        ClientCommand.requireInstalled("curl", "apt-get install curl", "curl", "--version");
        RunnelCli cli = new RunnelCli(dir);
        int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        int registryPort = FreePorts.pick();
        int embeddedPort = FreePorts.pick();
        int standalonePort = FreePorts.pick();
        RunnelCli.Running broker = cli.startServer(brokerPort, controllerPort, START_TIMEOUT,
                "schema.registry.listeners=http://127.0.0.1:" + registryPort,
                "rest.proxy.listeners=http://127.0.0.1:" + embeddedPort);
        running.add(broker);
        assertTrue(broker.out().contains("REST proxy http://127.0.0.1:" + embeddedPort), broker.out());

        // The embedded proxy produces avro through the embedded registry.
        String avro = new JsonObject().put("value_schema", "{\"type\":\"record\",\"name\":\"User\",\"fields\":"
                + "[{\"name\":\"name\",\"type\":\"string\"}]}").put("records", new JsonArray()
                .add(new JsonObject().put("value", new JsonObject().put("name", "testUser")))).encode();
        createTopic(embeddedPort, "avrotest");
        HttpResponse<String> produced = post(embeddedPort, "/topics/avrotest", "application/vnd.kafka.avro.v2+json",
                avro);
        assertEquals(200, produced.statusCode(), produced.body());
        assertEquals(0, new JsonObject(produced.body()).getJsonArray("offsets").getJsonObject(0).getInteger("offset"));
        HttpResponse<String> subject = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registryPort
                + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(subject.body().contains("avrotest-value"), subject.body());

        Path proxyFile = dir.resolve("kafka-rest.properties");
        Files.writeString(proxyFile, String.join("\n",
                "listeners=http://127.0.0.1:" + standalonePort,
                "bootstrap.servers=PLAINTEXT://127.0.0.1:" + brokerPort,
                "schema.registry.url=http://127.0.0.1:" + registryPort, ""));
        RunnelCli.Running standalone = cli.start("", "rest-proxy", proxyFile.toString());
        running.add(standalone);
        assertTrue(RunnelCli.awaitLine(standalone, "REST proxy started", START_TIMEOUT), standalone.err());
        createTopic(standalonePort, "jsontest");
        String answer = ClientCommand.run(null, List.of("curl", "-s", "-X", "POST",
                "-H", "Content-Type: application/vnd.kafka.json.v2+json",
                "-H", "Accept: application/vnd.kafka.v2+json",
                "--data", "{\"records\":[{\"value\":{\"foo\":\"bar\"}}]}",
                "http://127.0.0.1:" + standalonePort + "/topics/jsontest"));
        assertEquals(new JsonObject().putNull("key_schema_id").putNull("value_schema_id").put("offsets",
                new JsonArray().add(new JsonObject().put("partition", 0).put("offset", 0).putNull("error_code")
                        .putNull("error"))), new JsonObject(answer));
        String topics = ClientCommand.run(null, List.of("curl", "-s", "http://127.0.0.1:" + standalonePort
                + "/topics"));
        assertTrue(new JsonArray(topics).contains("avrotest") && new JsonArray(topics).contains("jsontest"), topics);
        assertTrue(cli.run("", "--help").out().contains("rest-proxy"), "the CLI's help lists the tool");
        assertEquals(0, standalone.terminate(), "SIGTERM stops the proxy cleanly");
        assertEquals(0, broker.terminate(), "SIGTERM stops the broker and its proxy cleanly");
    }

    /** Through API v3, as Confluent's documentation creates topics over HTTP. */
    private static void createTopic(int port, String topic) throws Exception {
        HttpResponse<String> clusters = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v3/clusters")).build(), HttpResponse.BodyHandlers.ofString());
        String cluster = new JsonObject(clusters.body()).getJsonArray("data").getJsonObject(0).getString("cluster_id");
        HttpResponse<String> created = post(port, "/v3/clusters/" + cluster + "/topics", "application/json",
                "{\"topic_name\":\"" + topic + "\",\"partitions_count\":1}");
        assertEquals(201, created.statusCode(), created.body());
    }

    private static HttpResponse<String> post(int port, String path, String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
