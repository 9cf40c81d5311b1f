package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.runnel.it.registry.RegistryOnOneBroker;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node's {@code @kafkajs/confluent-schema-registry} against the built-in registry
 * ({@code src/test/clients/kafkajs/kafkajs-schema-registry.js}): it registers, encodes, and a KafkaJS producer and
 * consumer round trip decodes; the bytes on the topic are Confluent's wire format; and confluent-kafka-python's
 * SchemaRegistryClient, registering the same schema for another topic, gets the same id.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaJsSchemaRegistryTest extends RegistryOnOneBroker {
    private static final Path DIR = ClientCommand.clientsDir().resolve("kafkajs");
    private static final String TOPIC = "kafkajs-avro-users";
    private static final String PYTHON_TOPIC = "python-avro-agrees";
    private static final int RECORDS = 3;

    @BeforeAll
    static void createTopics() throws Exception {
        ClientCommand.requireInstalled("node", "apt-get install nodejs", "node", "--version");
        if (!Files.isRegularFile(DIR.resolve("node_modules").resolve("@kafkajs").resolve("confluent-schema-registry")
                .resolve("package.json"))) {
            fail("@kafkajs/confluent-schema-registry is not installed: run npm ci in " + DIR + "; .ci/run does");
        }
        cluster.createTopic(TOPIC, 1);
        cluster.createTopic(PYTHON_TOPIC, 1);
    }

    @Test
    void kafkaJsRegistersEncodesAndDecodesAndPythonAgrees() throws Exception {
        String out = ClientCommand.run("", List.of("node", DIR.resolve("kafkajs-schema-registry.js").toString(),
                registry.url(), cluster.bootstrapServers(), TOPIC, String.valueOf(RECORDS)));
        JsonObject latest = new JsonObject(registry.get("/subjects/" + TOPIC + "-value/versions/latest").body());
        int id = latest.getInteger("id");
        assertEquals(List.of("registered " + TOPIC + "-value id " + id, "latest id " + id,
                "decoded user-0 30", "decoded user-1 31", "decoded user-2 32"), out.lines().toList());
        assertEquals(List.of("user-0 30", "user-1 31", "user-2 32"),
                ConfluentWireFormat.decodeUsers(cluster, TOPIC, RECORDS, id, latest.getString("schema")));

        String python = ClientCommand.run("", List.of("/usr/bin/python3", ClientCommand.clientsDir().resolve("python")
                .resolve("schema_registry_driver.py").toString(), registry.url(), cluster.bootstrapServers(),
                PYTHON_TOPIC, "1"));
        assertEquals("registered " + PYTHON_TOPIC + "-value version 1 id " + id, python.lines().findFirst()
                .orElse(""), "the same schema has the same id whichever client registers it");
    }
}
