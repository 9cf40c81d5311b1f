package io.runnel.it.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.it.registry.RegistryHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A topic's messages in the console: records produced by kafka-clients shown with their key, value (text, pretty
 * JSON, hex, Avro decoded through the schema registry), headers and offsets, found by the browse filters; the
 * produce form's record read back by a KafkaConsumer; hostile contents shown as text; and the Schemas pages.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleMessagesTest {
    private static final String USER_SCHEMA = "{\"type\":\"record\",\"name\":\"User\",\"fields\":"
            + "[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}";
    private static RunnelCluster cluster;
    private static RegistryHttp registry;
    private static ConsoleHttp console;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().start();
        registry = RegistryHttp.start(cluster.bootstrapServers());
        console = ConsoleHttp.start(cluster.bootstrapServers(), registry.url(), false, Map.of());
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get();
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, String key, byte[] value) {
        return new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void recordsAreShownWithKeyValueHeadersAndFoundByFilters() throws Exception {
        cluster.createTopic("clicks", 2);
        ProducerRecord<byte[], byte[]> withHeader = record("clicks", 1, "user-7", utf8("{\"page\":\"/home\",\"n\":3}"));
        withHeader.headers().add("trace-id", utf8("abc123"));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(List.of(withHeader,
                record("clicks", 0, "user-8", utf8("plain text value")),
                record("clicks", 0, null, new byte[] {0x01, (byte) 0xff, 0x7f, 0x00})));
        for (int i = 0; i < 5; i++) {
            records.add(record("clicks", 0, "bulk", utf8("bulk-" + i)));
        }
        produce("clicks", records);

        // As the browse form sends it.
        ConsoleHttp.Page page = console.get("/topics/clicks/messages?from=start&partition=all&offset=&timestamp="
                + "&limit=50&key=&value=&header=&format=auto");
        assertEquals(200, page.status(), page.text());
        List<Map<String, String>> rows = page.table(null);
        assertEquals(8, rows.size(), rows.toString());
        Map<String, String> json = page.row(null, "Key", "text user-7");
        assertEquals("1", json.get("Partition"));
        assertEquals("0", json.get("Offset"));
        assertTrue(json.get("Value").startsWith("JSON"), json.toString());
        assertEquals("trace-id: abc123", json.get("Headers"));
        Element pretty = page.doc().select("td pre").stream().filter(e -> e.text().contains("/home")).findFirst()
                .orElseThrow();
        assertEquals(new JsonObject().put("page", "/home").put("n", 3).encodePrettily(), pretty.wholeText());
        assertEquals("text plain text value", page.row(null, "Key", "text user-8").get("Value"));
        assertEquals("hex, 4 bytes 01 ff 7f 00", page.row(null, "Key", "null").get("Value"));

        List<Map<String, String>> byKey = console.get("/topics/clicks/messages?from=start&key=user-").table(null);
        assertEquals(List.of("text user-7", "text user-8"), byKey.stream().map(r -> r.get("Key")).sorted().toList());
        List<Map<String, String>> byValue = console.get("/topics/clicks/messages?from=start&value=bulk-3")
                .table(null);
        assertEquals(1, byValue.size());
        List<Map<String, String>> byHeader = console.get("/topics/clicks/messages?from=start&header="
                + "trace-id%3Dabc123").table(null);
        assertEquals(List.of("0"), byHeader.stream().map(r -> r.get("Offset")).toList());

        List<Map<String, String>> fromOffset = console.get("/topics/clicks/messages?from=offset&partition=0"
                + "&offset=3&limit=2").table(null);
        assertEquals(List.of("3", "4"), fromOffset.stream().map(r -> r.get("Offset")).toList());
        List<Map<String, String>> last = console.get("/topics/clicks/messages?from=end&partition=0&limit=2")
                .table(null);
        assertEquals(List.of("5", "6"), last.stream().map(r -> r.get("Offset")).toList());
        List<Map<String, String>> future = console.get("/topics/clicks/messages?from=timestamp"
                + "&timestamp=2999-01-01T00:00:00Z").table(null);
        assertTrue(future.isEmpty(), future.toString());
        List<Map<String, String>> hex = console.get("/topics/clicks/messages?from=start&partition=1&format=hex")
                .table(null);
        assertTrue(hex.get(0).get("Value").startsWith("hex, 22 bytes 7b 22 70 61"), hex.toString());

        ConsoleHttp.Page bad = console.get("/topics/clicks/messages?from=offset&partition=9&offset=0");
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("partition: '9' must be a whole number from 0 to 1"), bad.text());
    }

    @Test
    void anAvroValueIsDecodedWithItsRegisteredSchema() throws Exception {
        cluster.createTopic("users", 1);
        int id = new JsonObject(registry.post("/subjects/users-value/versions", RegistryHttp.schemaBody(USER_SCHEMA))
                .body()).getInteger("id");
        Schema schema = new Schema.Parser().parse(USER_SCHEMA);
        GenericRecord user = new GenericData.Record(schema);
        user.put("name", "Ada");
        user.put("age", 36);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(0);
        wire.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(wire, null);
        new GenericDatumWriter<GenericRecord>(schema).write(user, encoder);
        encoder.flush();
        produce("users", List.of(record("users", 0, "ada", wire.toByteArray())));

        ConsoleHttp.Page page = console.get("/topics/users/messages?from=start");
        Element value = page.doc().select("td pre").stream().filter(e -> e.text().contains("Ada")).findFirst()
                .orElseThrow(() -> new AssertionError(page.text()));
        assertEquals(new JsonObject().put("name", "Ada").put("age", 36), new JsonObject(value.wholeText()));
        assertTrue(page.row(null, "Key", "text ada").get("Value").startsWith("Avro, schema id " + id),
                page.text());
    }

    @Test
    void theProduceFormsRecordIsReadBackByAConsumer() throws Exception {
        cluster.createTopic("typed", 3);
        ConsoleHttp.Page produced = console.submit(console.get("/topics/typed/messages"), "Produce a record",
                Map.of("key", "k-1", "value", "{\"hello\":\"world\"}", "headers", "source: console\ncolour: blue",
                        "partition", "2"));
        assertEquals(200, produced.status(), produced.text());
        assertTrue(produced.text().contains("Produced to partition 2 at offset 0"), produced.text());
        assertEquals("text k-1", produced.row(null, "Offset", "0").get("Key"));

        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            TopicReader.readAll(consumer, TopicReader.partitions("typed", 3), Duration.ofSeconds(30), read::add);
        }
        assertEquals(1, read.size());
        ConsumerRecord<byte[], byte[]> record = read.get(0);
        assertEquals(2, record.partition());
        assertArrayEquals(utf8("k-1"), record.key());
        assertArrayEquals(utf8("{\"hello\":\"world\"}"), record.value());
        assertArrayEquals(utf8("console"), record.headers().lastHeader("source").value());
        assertArrayEquals(utf8("blue"), record.headers().lastHeader("colour").value());

        ConsoleHttp.Page bad = console.post("/topics/typed/messages", Map.of("value", "v", "headers", "no colon"));
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("headers: 'no colon' must be name:value"), bad.text());
    }

    @Test
    void aLiveTailPollAnswersTheRecordsAfterThoseShown() throws Exception {
        cluster.createTopic("live", 2);
        produce("live", List.of(record("live", 1, "old", utf8("before"))));
        ConsoleHttp.Page page = console.get("/topics/live/messages?key=new");
        String positions = page.doc().selectFirst("input#tail").attr("data-positions");
        assertEquals("0:0,1:1", positions);
        assertEquals("/static/tail.js", page.doc().selectFirst("script").attr("src"));
        HttpResponse<String> script = console.raw("/static/tail.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        assertTrue(script.body().contains("textContent") && !script.body().contains("innerHTML"));

        JsonObject idle = new JsonObject(console.raw("/topics/live/messages/tail?key=new&positions=" + positions)
                .body());
        assertEquals(new JsonObject().put("positions", positions).put("records", new JsonArray()), idle);

        ProducerRecord<byte[], byte[]> fresh = record("live", 0, "new-<1>", utf8("after"));
        fresh.headers().add("h", utf8("v"));
        produce("live", List.of(fresh, record("live", 1, "other", utf8("filtered out"))));
        JsonObject polled = new JsonObject(console.raw("/topics/live/messages/tail?key=new&positions=" + positions)
                .body());
        assertEquals("0:1,1:2", polled.getString("positions"));
        JsonArray records = polled.getJsonArray("records");
        assertEquals(1, records.size(), polled.encode());
        JsonObject one = records.getJsonObject(0);
        assertEquals("new-<1>", one.getString("key"));
        assertEquals("after", one.getString("value"));
        assertEquals(0, one.getInteger("offset"));
        assertEquals(new JsonArray().add(new JsonObject().put("name", "h").put("value", "v")),
                one.getJsonArray("headers"));

        HttpResponse<String> bad = console.raw("/topics/live/messages/tail?positions=0:1,7:0");
        assertEquals(400, bad.statusCode());
        assertTrue(Jsoup.parse(bad.body()).text().contains("positions: '7:0' must be partition:offset"), bad.body());
    }

    @Test
    void hostileContentsAreShownAsTextNeverAsMarkup() throws Exception {
        cluster.createTopic("hostile", 1);
        String script = "<script>alert('value')</script><img src=x onerror=alert(1)>";
        ProducerRecord<byte[], byte[]> record = record("hostile", 0, "<b>key</b>", utf8(script));
        record.headers().add("<i>h</i>", utf8("\"><svg onload=alert(2)>"));
        produce("hostile", List.of(record, record("hostile", 0, "big", utf8("x".repeat(50_000))),
                record("hostile", 0, "magic", new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2})));

        ConsoleHttp.Page page = console.get("/topics/hostile/messages?from=start&key=%3Cb%3E");
        assertEquals(200, page.status());
        assertTrue(page.doc().select("script:not([src=/static/tail.js]), main img, main b, main i, main svg")
                .isEmpty(),
                page.doc().select("main").html());
        Map<String, String> row = page.row(null, "Key", "text <b>key</b>");
        assertEquals("text " + script, row.get("Value"));
        assertEquals("<i>h</i>: \"><svg onload=alert(2)>", row.get("Headers"));
        assertEquals("<b>", page.doc().selectFirst("input[name=key]").attr("value"), "the filter is shown as typed");

        String big = console.get("/topics/hostile/messages?from=start&key=big").row(null, "Key", "text big")
                .get("Value");
        assertTrue(big.startsWith("text, 50000 bytes, the first 10000 characters shown"), big.substring(0, 80));
        assertEquals("hex, 7 bytes 00 00 00 7f 7f 01 02", console.get("/topics/hostile/messages?from=start&key=magic")
                .row(null, "Key", "text magic").get("Value"), "byte 0 and an id the registry does not know");
    }

    @Test
    void schemasAreListedAndANewVersionIsCheckedBeforeItIsRegistered() throws Exception {
        ConsoleHttp.Page created = console.submit(console.get("/schemas"), "Register a schema", Map.of(
                "subject", "payments-value", "type", "AVRO",
                "schema", "{\"type\":\"record\",\"name\":\"Payment\",\"fields\":[{\"name\":\"id\",\"type\":"
                        + "\"string\"}]}"));
        assertEquals(200, created.status(), created.text());
        assertTrue(created.text().contains("Registered schema id"), created.text());
        assertTrue(console.get("/schemas").table(null).stream().anyMatch(r -> r.get("Subject")
                .equals("payments-value")));
        assertTrue(created.text().contains("Compatibility BACKWARD"), created.text());

        ConsoleHttp.Page refused = console.post("/schemas", Map.of("subject", "payments-value", "type", "AVRO",
                "schema", "{\"type\":\"record\",\"name\":\"Payment\",\"fields\":[{\"name\":\"id\",\"type\":"
                        + "\"string\"},{\"name\":\"amount\",\"type\":\"double\"}]}"));
        assertEquals(409, refused.status(), refused.text());
        assertTrue(refused.text().contains("not compatible"), refused.text());
        assertEquals(new JsonArray().add(1), new JsonArray(registry.get("/subjects/payments-value/versions")
                .body()));

        ConsoleHttp.Page evolved = console.submit(console.get("/schemas/payments-value"), "Register a new version",
                Map.of("schema", "{\"type\":\"record\",\"name\":\"Payment\",\"fields\":[{\"name\":\"id\",\"type\":"
                        + "\"string\"},{\"name\":\"amount\",\"type\":\"double\",\"default\":0}]}"));
        assertEquals(200, evolved.status(), evolved.text());
        assertTrue(evolved.text().contains("Version shown 2"), evolved.text());
    }
}
