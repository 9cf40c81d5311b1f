package io.runnel.it.proxy;

import static io.runnel.it.proxy.RestProxyHttp.BINARY_V2;
import static io.runnel.it.proxy.RestProxyHttp.JSON_V2;
import static io.runnel.it.proxy.RestProxyHttp.V2;
import static io.runnel.it.proxy.RestProxyHttp.array;
import static io.runnel.it.proxy.RestProxyHttp.object;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.RunnelCluster;
import io.runnel.it.compat.ClientCommand;
import io.runnel.it.TestDirs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * API v2's metadata and produce as Confluent's documentation shows them: topics, partitions and brokers; json and
 * binary records with keys and partitions, answered with their offsets; kcat reads what the proxy produced byte for
 * byte.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestProxyV2ProduceTest {
    private static RunnelCluster cluster;
    private static RestProxyHttp proxy;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().start();
        proxy = RestProxyHttp.start(cluster.bootstrapServers(), null);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void metadataOfTopicsPartitionsAndBrokers() throws Exception {
        cluster.createTopic("meta-a", 2);
        cluster.createTopic("meta-b", 1);
        JsonArray topics = array(proxy.get("/topics", V2));
        assertTrue(topics.contains("meta-a") && topics.contains("meta-b"), topics.encode());

        JsonObject topic = object(proxy.get("/topics/meta-a", V2));
        assertEquals("meta-a", topic.getString("name"));
        assertEquals("delete", topic.getJsonObject("configs").getString("cleanup.policy"));
        int leader = cluster.nodeIds().get(0);
        JsonObject replica = new JsonObject().put("broker", leader).put("leader", true).put("in_sync", true);
        assertEquals(new JsonArray()
                .add(new JsonObject().put("partition", 0).put("leader", leader).put("replicas", new JsonArray().add(replica)))
                .add(new JsonObject().put("partition", 1).put("leader", leader).put("replicas", new JsonArray().add(replica))),
                topic.getJsonArray("partitions"));
        assertEquals(topic.getJsonArray("partitions"), array(proxy.get("/topics/meta-a/partitions", V2)));
        assertEquals(topic.getJsonArray("partitions").getJsonObject(1),
                object(proxy.get("/topics/meta-a/partitions/1", V2)));
        assertEquals(new JsonObject().put("brokers", new JsonArray(cluster.nodeIds())),
                object(proxy.get("/brokers", V2)));
    }

    @Test
    void jsonRecordsWithKeysAndPartitionsAnswerTheirOffsets() throws Exception {
        cluster.createTopic("json-produce", 2);
        JsonObject answer = object(proxy.post("/topics/json-produce", JSON_V2, "{\"records\":["
                + "{\"key\":\"somekey\",\"value\":{\"foo\":\"bar\"}},"
                + "{\"value\":[\"foo\",\"bar\"],\"partition\":1},"
                + "{\"value\":53.5}]}"));
        assertEquals(null, answer.getValue("key_schema_id"));
        assertEquals(null, answer.getValue("value_schema_id"));
        JsonArray offsets = answer.getJsonArray("offsets");
        assertEquals(3, offsets.size());
        assertEquals(new JsonObject().put("partition", 1).put("offset", 0).putNull("error_code").putNull("error"),
                offsets.getJsonObject(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(null, offsets.getJsonObject(i).getValue("error_code"));
        }
        JsonObject toPartition = object(proxy.post("/topics/json-produce/partitions/0", JSON_V2,
                "{\"records\":[{\"value\":{\"n\":1}},{\"key\":7,\"value\":{\"n\":2}}]}"));
        assertEquals(0, toPartition.getJsonArray("offsets").getJsonObject(0).getInteger("partition"));

        List<ConsumerRecord<byte[], byte[]>> read = readAll(cluster, "json-produce", 5);
        List<String> values = new ArrayList<>();
        read.forEach(r -> values.add((r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8)) + "="
                + new String(r.value(), StandardCharsets.UTF_8)));
        assertTrue(values.containsAll(List.of("\"somekey\"={\"foo\":\"bar\"}", "=[\"foo\",\"bar\"]", "=53.5",
                "={\"n\":1}", "7={\"n\":2}")), values.toString());
        for (Object o : offsets) {
            JsonObject offset = (JsonObject) o;
            assertTrue(read.stream().anyMatch(r -> r.partition() == offset.getInteger("partition")
                    && r.offset() == offset.getLong("offset")), offset.encode());
        }
    }

    @Test
    void binaryRecordsReachKcatByteForByte() throws Exception {
        ClientCommand.requireInstalled("kcat", "apt-get install kcat", "kcat", "-V");
        cluster.createTopic("binary-produce", 1);
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        Base64.Encoder b64 = Base64.getEncoder();
        JsonObject answer = object(proxy.post("/topics/binary-produce", BINARY_V2, new JsonObject().put("records",
                new JsonArray().add(new JsonObject().put("key", b64.encodeToString("k1".getBytes(StandardCharsets.UTF_8)))
                        .put("value", b64.encodeToString(every)))).encode()));
        assertEquals(new JsonObject().put("partition", 0).put("offset", 0).putNull("error_code").putNull("error"),
                answer.getJsonArray("offsets").getJsonObject(0));

        Path out = TestDirs.buildDir().resolve("compat").resolve("binary-produce-" + TestDirs.forkId() + ".bin");
        Files.createDirectories(out.getParent());
        Process kcat = new ProcessBuilder("kcat", "-b", cluster.bootstrapServers(), "-C", "-t", "binary-produce",
                "-o", "beginning", "-c", "1", "-e", "-q", "-f", "%k|%s").redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(kcat.waitFor(120, TimeUnit.SECONDS), "kcat finished");
        assertEquals(0, kcat.exitValue());
        byte[] expected = new byte[3 + every.length];
        System.arraycopy("k1|".getBytes(StandardCharsets.UTF_8), 0, expected, 0, 3);
        System.arraycopy(every, 0, expected, 3, every.length);
        assertArrayEquals(expected, Files.readAllBytes(out));
    }

    /** Every record of the topic, read with kafka-clients until {@code count} have come. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(RunnelCluster cluster, String topic, int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(count, records.size());
            return records;
        }
    }
}
