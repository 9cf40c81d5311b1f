package io.runnel.it.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TestJvm;
import io.runnel.testkit.FreePorts;
import io.runnel.tools.Runnel;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course's Kafka Connect examples through {@code runnel connect-standalone} and {@code runnel connect-distributed}
 * (Kafka's workers unchanged, in JVMs of their own) on the distribution's example files (config/connect-*.properties,
 * with this test's broker, ports and files), against an in-process Runnel broker: the lines of a file reach the topic
 * as FileStreamSource reads them and the HoistField and InsertField transforms shape them, and the distributed
 * worker's REST API lists, creates, reports on, pauses, resumes, restarts and deletes the connector.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConnectLauncherTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path CONFIG = Path.of("..", "config");
    private static final String TOPIC = "connect-test";
    private static final String CONNECTOR = "local-file-source";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RunnelCluster broker;
    private Process standalone;
    private ConnectWorker distributed;
    private KafkaConsumer<String, String> consumer;

    @BeforeEach
    void startBroker() throws Exception {
        broker = RunnelCluster.builder().start();
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "connect-test-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
    }

    @AfterEach
    void stop() throws Exception {
        if (consumer != null) {
            consumer.close();
        }
        if (standalone != null) {
            standalone.destroyForcibly().waitFor();
        }
        if (distributed != null) {
            distributed.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void standaloneWorkerWritesTheLinesOfTheFileAsTheTransformsShapeThem() throws Exception {
        Path file = dir.resolve("test.txt");
        Files.writeString(file, "first line\nsecond line\n");
        Properties worker = example("connect-standalone.properties");
        worker.put("bootstrap.servers", broker.bootstrapServers());
        worker.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
        worker.put("listeners", "http://127.0.0.1:" + FreePorts.pick());
        Properties connector = example("connect-file-source.properties");
        connector.put("file", file.toString());
        Path log = dir.resolve("connect-standalone.log");
        standalone = TestJvm.start(Runnel.class, "256m", log, "connect-standalone",
                write(worker, "worker.properties").toString(), write(connector, "connector.properties").toString());

        assertEquals(List.of(shaped("first line"), shaped("second line")), payloads(2, log));
        append(file, "third line");
        assertEquals(List.of(shaped("third line")), payloads(1, log));
    }

    @Test
    void distributedWorkerRunsTheConnectorItsRestApiCreatesAndManages() throws Exception {
        Path file = dir.resolve("test.txt");
        Files.writeString(file, "first line\n");
        Properties settings = example("connect-distributed.properties");
        settings.put("bootstrap.servers", broker.bootstrapServers());
        Map<String, String> worker = new HashMap<>();
        settings.stringPropertyNames().forEach(key -> worker.put(key, settings.getProperty(key)));
        distributed = ConnectWorker.start(worker);

        assertEquals(JSON.readTree("[]"), body(distributed.get("/connectors"), 200));
        Properties connector = example("connect-file-source.properties");
        connector.put("file", file.toString());
        Map<String, Object> config = new HashMap<>();
        connector.stringPropertyNames().forEach(key -> config.put(key, connector.getProperty(key)));
        config.remove("name");
        String create = JSON.writeValueAsString(Map.of("name", CONNECTOR, "config", config));
        Await.awaitCondition(WAIT, () -> created(distributed.post("/connectors", create)),
                "the worker creates the connector (output in " + distributed.log() + ")");
        assertEquals(List.of(shaped("first line")), payloads(1, distributed.log()));
        assertEquals(JSON.readTree("[\"" + CONNECTOR + "\"]"), body(distributed.get("/connectors"), 200));
        awaitState("RUNNING");

        assertEquals(202, distributed.put("/connectors/" + CONNECTOR + "/pause").status());
        awaitState("PAUSED");
        assertEquals(202, distributed.put("/connectors/" + CONNECTOR + "/resume").status());
        awaitState("RUNNING");
        append(file, "second line");
        assertEquals(List.of(shaped("second line")), payloads(1, distributed.log()));

        assertEquals(204, distributed.post("/connectors/" + CONNECTOR + "/restart", "").status());
        awaitState("RUNNING");
        append(file, "third line");
        assertEquals(List.of(shaped("third line")), payloads(1, distributed.log()));

        assertEquals(204, distributed.delete("/connectors/" + CONNECTOR).status());
        // The worker answers once the deletion is in its config topic, and applies it when it reads it back.
        Await.awaitCondition(WAIT, () -> distributed.get("/connectors/" + CONNECTOR + "/status").status() == 404,
                "the connector's status is gone");
        assertEquals(JSON.readTree("[]"), body(distributed.get("/connectors"), 200));
    }

    /** One of the distribution's example files in config/. */
    private static Properties example(String name) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(CONFIG.resolve(name))) {
            props.load(in);
        }
        return props;
    }

    private Path write(Properties props, String name) throws IOException {
        Path file = dir.resolve(name);
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, null);
        }
        return file;
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardOpenOption.APPEND);
    }

    /** A line as the course's transforms make it: hoisted into the field "line", "data_source" added. */
    private static JsonNode shaped(String line) {
        return JSON.createObjectNode().put("line", line).put("data_source", "test-file-source");
    }

    /** The payloads of the next {@code count} records of the topic (the JSON converter's "payload"). */
    private List<JsonNode> payloads(int count, Path workerLog) {
        List<JsonNode> payloads = new ArrayList<>();
        Await.awaitCondition(WAIT, () -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                payloads.add(parse(record.value()).get("payload"));
            }
            return payloads.size() >= count;
        }, count + " records in " + TOPIC + " (worker output in " + workerLog + ")");
        return payloads;
    }

    private void awaitState(String state) {
        Await.awaitCondition(WAIT, () -> {
            ConnectWorker.Answer answer = distributed.get("/connectors/" + CONNECTOR + "/status");
            if (answer.status() != 200) {
                return false;
            }
            JsonNode status = parse(answer.body());
            return state.equals(status.path("connector").path("state").asText())
                    && state.equals(status.path("tasks").path(0).path("state").asText());
        }, "the connector and its task " + state + " (output in " + distributed.log() + ")");
    }

    /** True once the worker has created the connector; false while it is still joining its group. */
    private static boolean created(ConnectWorker.Answer answer) {
        assertTrue(answer.status() == 0 || answer.status() == 201 || answer.status() == 409
                || answer.status() >= 500, "the worker refused the connector: " + answer);
        return answer.status() == 201;
    }

    private static JsonNode body(ConnectWorker.Answer answer, int status) {
        assertEquals(status, answer.status(), answer.body());
        return parse(answer.body());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
