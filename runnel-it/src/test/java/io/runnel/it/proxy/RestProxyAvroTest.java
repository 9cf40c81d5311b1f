package io.runnel.it.proxy;

import static io.runnel.it.proxy.RestProxyHttp.AVRO_V2;
import static io.runnel.it.proxy.RestProxyHttp.V2;
import static io.runnel.it.proxy.RestProxyHttp.array;
import static io.runnel.it.proxy.RestProxyHttp.error;
import static io.runnel.it.proxy.RestProxyHttp.object;
import static io.runnel.it.proxy.RestProxyHttp.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.RunnelCluster;
import io.runnel.it.registry.RegistryHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The avro embedded format through the schema registry's REST API: the proxy registers the request's schema under
 * {@code <topic>-value}, writes Confluent's wire format (magic byte 0, the schema id, Avro binary) that a
 * kafka-clients consumer decodes, and an avro consumer instance answers the records in Avro's JSON encoding.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestProxyAvroTest {
    private static final String USER = "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"name\","
            + "\"type\":\"string\"},{\"name\":\"age\",\"type\":[\"null\",\"int\"],\"default\":null}]}";
    private static RunnelCluster cluster;
    private static RegistryHttp registry;
    private static RestProxyHttp proxy;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().start();
        registry = RegistryHttp.start(cluster.bootstrapServers());
        proxy = RestProxyHttp.start(cluster.bootstrapServers(), registry.url());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void avroRecordsCarryTheRegistrysIdAndDecode() throws Exception {
        cluster.createTopic("avrotest", 1);
        JsonObject answer = object(proxy.post("/topics/avrotest", AVRO_V2, new JsonObject()
                .put("value_schema", USER).put("records", new JsonArray()
                        .add(new JsonObject().put("value", new JsonObject().put("name", "testUser")
                                .put("age", new JsonObject().put("int", 31))))
                        .add(new JsonObject().put("value", new JsonObject().put("name", "anon").putNull("age"))))
                .encode()));
        int id = answer.getInteger("value_schema_id");
        assertEquals(null, answer.getValue("key_schema_id"));
        assertEquals(id, new JsonObject(registry.get("/subjects/avrotest-value/versions/latest").body())
                .getInteger("id"), "registered under the topic's value subject");
        // The id alone names the schema for the next request.
        object(proxy.post("/topics/avrotest", AVRO_V2, "{\"value_schema_id\": " + id
                + ", \"records\": [{\"value\": {\"name\": \"third\", \"age\": null}}]}"));

        List<ConsumerRecord<byte[], byte[]>> read = RestProxyV2ProduceTest.readAll(cluster, "avrotest", 3);
        Schema schema = new Schema.Parser().parse(USER);
        ByteBuffer first = ByteBuffer.wrap(read.get(0).value());
        assertEquals(0, first.get(), "magic byte");
        assertEquals(id, first.getInt(), "schema id");
        GenericRecord user = new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
                .binaryDecoder(first.array(), 5, first.remaining(), null));
        assertEquals("testUser", user.get("name").toString());
        assertEquals(31, user.get("age"));

        object(proxy.post("/consumers/avro-group", V2, "{\"name\":\"a\",\"format\":\"avro\","
                + "\"auto.offset.reset\":\"earliest\"}"));
        String base = "/consumers/avro-group/instances/a";
        status(proxy.post(base + "/subscription", V2, "{\"topics\":[\"avrotest\"]}"), 204);
        JsonArray records = new JsonArray();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (records.size() < 3 && System.nanoTime() < deadline) {
            array(proxy.get(base + "/records?timeout=1000", AVRO_V2)).forEach(records::add);
        }
        assertEquals(new JsonObject().put("name", "testUser").put("age", new JsonObject().put("int", 31)),
                records.getJsonObject(0).getJsonObject("value"));
        assertEquals(new JsonObject().put("name", "third").putNull("age"),
                records.getJsonObject(2).getJsonObject("value"));
        status(proxy.delete(base), 204);
    }

    @Test
    void avroRefusals() throws Exception {
        cluster.createTopic("avro-bad", 1);
        error(proxy.post("/topics/avro-bad", AVRO_V2, "{\"records\":[{\"value\":{\"name\":\"x\"}}]}"), 422, 42202);
        error(proxy.post("/topics/avro-bad", AVRO_V2, "{\"value_schema\":\"{\\\"type\\\":\\\"string\\\"}\","
                + "\"records\":[{\"key\":\"k\",\"value\":\"v\"}]}"), 422, 42201);
        error(proxy.post("/topics/avro-bad", AVRO_V2, "{\"value_schema\":\"{\\\"type\\\":\\\"nonsense\\\"}\","
                + "\"records\":[{\"value\":\"v\"}]}"), 422, 42205);
        error(proxy.post("/topics/avro-bad", AVRO_V2, new JsonObject().put("value_schema", USER).put("records",
                new JsonArray().add(new JsonObject().put("value", new JsonObject().put("name", 5)))).encode()),
                422, 42203);
        error(proxy.post("/topics/avro-bad", AVRO_V2, "{\"value_schema_id\": 999999, "
                + "\"records\":[{\"value\":\"v\"}]}"), 404, 40403);
    }
}
