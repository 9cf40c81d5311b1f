package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.registry.RegistryOnOneBroker;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * confluent-kafka-python's SchemaRegistryClient, AvroSerializer and AvroDeserializer against the built-in registry
 * ({@code src/test/clients/python/schema_registry_driver.py}): the schema registers, records encode, travel through
 * the broker and decode; the bytes on the topic are Confluent's wire format (0, the 4-byte id, Avro binary), which
 * Apache Avro's Java reader decodes with the schema the registry serves for that id.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConfluentKafkaPythonSchemaRegistryTest extends RegistryOnOneBroker {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String TOPIC = "python-avro-users";
    private static final int RECORDS = 3;

    @BeforeAll
    static void createTopics() throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python's Avro serializer",
                "apt-get install python3-confluent-kafka python3-requests, and fastavro (see .ci/run)",
                PYTHON, "-c", "import confluent_kafka.schema_registry.avro");
        cluster.createTopic(TOPIC, 1);
    }

    @Test
    void pythonRegistersEncodesAndDecodesAndTheBytesAreConfluentsWireFormat() throws Exception {
        String out = ClientCommand.run("", List.of(PYTHON, ClientCommand.clientsDir().resolve("python")
                .resolve("schema_registry_driver.py").toString(), registry.url(), cluster.bootstrapServers(), TOPIC,
                String.valueOf(RECORDS)));
        JsonObject latest = new JsonObject(registry.get("/subjects/" + TOPIC + "-value/versions/latest").body());
        int id = latest.getInteger("id");
        List<String> expected = new ArrayList<>(List.of(
                "registered " + TOPIC + "-value version 1 id " + id,
                "subjects " + TOPIC + "-value",
                "lookup id " + id,
                "compatible False",
                "level BACKWARD"));
        for (int i = 0; i < RECORDS; i++) {
            expected.add("decoded user-" + i + " " + (20 + i));
        }
        assertEquals(expected, out.lines().toList());

        assertEquals(List.of("user-0 20", "user-1 21", "user-2 22"),
                ConfluentWireFormat.decodeUsers(cluster, TOPIC, RECORDS, id, latest.getString("schema")));
    }
}
