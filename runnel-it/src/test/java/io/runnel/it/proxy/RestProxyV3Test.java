package io.runnel.it.proxy;

import static io.runnel.it.proxy.RestProxyHttp.V3;
import static io.runnel.it.proxy.RestProxyHttp.error;
import static io.runnel.it.proxy.RestProxyHttp.object;
import static io.runnel.it.proxy.RestProxyHttp.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.RunnelCluster;
import io.runnel.it.registry.RegistryHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * API v3 as Confluent's documentation shows it: the cluster and its brokers, topics created, described (partitions,
 * configs) and deleted, topic configs set, reset and altered together, ACLs created, searched and deleted, consumer groups and their lag, and records produced one at a time or as a stream of JSON
 * objects answered one result per record (JSON, BINARY, STRING and AVRO keys and values, headers).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestProxyV3Test {
    private static RunnelCluster cluster;
    private static RegistryHttp registry;
    private static RestProxyHttp proxy;
    private static String clusterPath;

    @BeforeAll
    static void start() throws Exception {
        // The ACL authorizer on, the proxy's anonymous client a super user: every other call works as without it.
        cluster = RunnelCluster.builder()
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("super.users", "User:ANONYMOUS").start();
        registry = RegistryHttp.start(cluster.bootstrapServers());
        proxy = RestProxyHttp.start(cluster.bootstrapServers(), registry.url());
        clusterPath = "/v3/clusters/" + cluster.clusterId();
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
    void clusterAndBrokers() throws Exception {
        JsonObject clusters = object(proxy.get("/v3/clusters", V3));
        assertEquals("KafkaClusterList", clusters.getString("kind"));
        JsonObject one = clusters.getJsonArray("data").getJsonObject(0);
        assertEquals(cluster.clusterId(), one.getString("cluster_id"));
        assertEquals("crn:///kafka=" + cluster.clusterId(), one.getJsonObject("metadata").getString("resource_name"));
        assertEquals(proxy.url() + clusterPath + "/topics", one.getJsonObject("topics").getString("related"));
        assertEquals(one, object(proxy.get(clusterPath, V3)));
        error(proxy.get("/v3/clusters/not-this-one", V3), 404, 404);

        JsonArray brokers = object(proxy.get(clusterPath + "/brokers", V3)).getJsonArray("data");
        assertEquals(cluster.nodeIds().size(), brokers.size());
        JsonObject broker = brokers.getJsonObject(0);
        assertEquals("KafkaBroker", broker.getString("kind"));
        assertEquals(broker, object(proxy.get(clusterPath + "/brokers/" + broker.getInteger("broker_id"), V3)));
        error(proxy.get(clusterPath + "/brokers/999", V3), 404, 404);
    }

    @Test
    void topicsAreCreatedDescribedAndDeleted() throws Exception {
        String create = "{\"topic_name\":\"v3-topic\",\"partitions_count\":3,\"replication_factor\":1,"
                + "\"configs\":[{\"name\":\"cleanup.policy\",\"value\":\"compact\"}]}";
        JsonObject created = new JsonObject(status(proxy.post(clusterPath + "/topics", V3, create), 201).body());
        assertEquals("KafkaTopic", created.getString("kind"));
        assertEquals(3, created.getInteger("partitions_count"));
        assertEquals(1, created.getInteger("replication_factor"));
        error(proxy.post(clusterPath + "/topics", V3, create), 400, 40002);
        error(proxy.post(clusterPath + "/topics", V3, "{\"topic_name\":\"v3-bad\",\"partitions_count\":0}"), 400,
                40002);

        assertTrue(object(proxy.get(clusterPath + "/topics", V3)).getJsonArray("data").stream()
                .anyMatch(t -> ((JsonObject) t).getString("topic_name").equals("v3-topic")));
        assertEquals(created, object(proxy.get(clusterPath + "/topics/v3-topic", V3)));
        JsonArray partitions = object(proxy.get(clusterPath + "/topics/v3-topic/partitions", V3))
                .getJsonArray("data");
        assertEquals(List.of(0, 1, 2), partitions.stream().map(p -> ((JsonObject) p).getInteger("partition_id"))
                .toList());
        assertEquals(partitions.getJsonObject(2), object(proxy.get(clusterPath + "/topics/v3-topic/partitions/2",
                V3)));
        error(proxy.get(clusterPath + "/topics/v3-topic/partitions/3", V3), 404, 40403);
        JsonObject policy = object(proxy.get(clusterPath + "/topics/v3-topic/configs", V3)).getJsonArray("data")
                .stream().map(JsonObject.class::cast).filter(c -> c.getString("name").equals("cleanup.policy"))
                .findFirst().orElseThrow();
        assertEquals("compact", policy.getString("value"));
        assertEquals("DYNAMIC_TOPIC_CONFIG", policy.getString("source"));

        status(proxy.delete(clusterPath + "/topics/v3-topic"), 204);
        error(proxy.get(clusterPath + "/topics/v3-topic", V3), 404, 40403);
        error(proxy.delete(clusterPath + "/topics/v3-topic"), 404, 40403);
    }

    @Test
    void topicConfigsAreSetResetAndAlteredTogether() throws Exception {
        cluster.createTopic("v3-configs", 1);
        String configs = clusterPath + "/topics/v3-configs/configs";
        JsonObject retention = object(proxy.get(configs + "/retention.ms", V3));
        assertEquals("KafkaTopicConfig", retention.getString("kind"));
        assertTrue(retention.getBoolean("is_default"), retention.encode());

        status(proxy.send(configs + "/retention.ms", "PUT", V3, "{\"value\":\"3600000\"}"), 204);
        retention = object(proxy.get(configs + "/retention.ms", V3));
        assertEquals("3600000", retention.getString("value"));
        assertEquals("DYNAMIC_TOPIC_CONFIG", retention.getString("source"));
        assertEquals("3600000", topicConfig("v3-configs", "retention.ms").value(), "what Kafka's Admin reads");

        status(proxy.post(configs + ":alter", V3, "{\"data\":[{\"name\":\"cleanup.policy\",\"value\":\"compact\"},"
                + "{\"name\":\"retention.ms\",\"operation\":\"DELETE\"}]}"), 204);
        assertEquals("compact", topicConfig("v3-configs", "cleanup.policy").value());
        assertTrue(topicConfig("v3-configs", "retention.ms").isDefault());

        status(proxy.delete(configs + "/cleanup.policy"), 204);
        assertTrue(topicConfig("v3-configs", "cleanup.policy").isDefault());

        error(proxy.send(configs + "/retention.ms", "PUT", V3, "{\"value\":\"soon\"}"), 400, 40002);
        error(proxy.send(configs + "/no.such.config", "PUT", V3, "{\"value\":\"1\"}"), 400, 40002);
        error(proxy.get(configs + "/no.such.config", V3), 404, 404);
        error(proxy.get(clusterPath + "/topics/v3-no-such-topic/configs", V3), 404, 40403);
    }

    @Test
    void aclsAreCreatedSearchedAndDeleted() throws Exception {
        String acls = clusterPath + "/acls";
        status(proxy.post(acls, V3, "{\"resource_type\":\"TOPIC\",\"resource_name\":\"orders-\","
                + "\"pattern_type\":\"PREFIXED\",\"principal\":\"User:alice\",\"host\":\"*\","
                + "\"operation\":\"READ\",\"permission\":\"ALLOW\"}"), 201);
        status(proxy.post(acls + ":batch", V3, "{\"data\":[{\"resource_type\":\"GROUP\",\"resource_name\":\"billing\","
                + "\"pattern_type\":\"LITERAL\",\"principal\":\"User:alice\",\"host\":\"*\",\"operation\":\"READ\","
                + "\"permission\":\"ALLOW\"},{\"resource_type\":\"TOPIC\",\"resource_name\":\"orders-audit\","
                + "\"pattern_type\":\"LITERAL\",\"principal\":\"User:bob\",\"host\":\"*\",\"operation\":\"WRITE\","
                + "\"permission\":\"DENY\"}]}"), 201);
        try (Admin admin = cluster.admin()) {
            assertEquals(3, admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).size(),
                    "the ACLs the broker's authorizer holds");
        }

        JsonArray alices = object(proxy.get(acls + "?principal=User%3Aalice", V3)).getJsonArray("data");
        assertEquals(2, alices.size(), alices.encode());
        JsonObject prefixed = alices.stream().map(JsonObject.class::cast)
                .filter(a -> a.getString("resource_type").equals("TOPIC")).findFirst().orElseThrow();
        assertEquals("KafkaAcl", prefixed.getString("kind"));
        assertEquals("orders-", prefixed.getString("resource_name"));
        assertEquals("PREFIXED", prefixed.getString("pattern_type"));
        assertEquals("READ", prefixed.getString("operation"));
        assertEquals("ALLOW", prefixed.getString("permission"));
        assertEquals(1, object(proxy.get(acls + "?resource_type=TOPIC&pattern_type=MATCH&resource_name=orders-audit"
                + "&permission=DENY", V3)).getJsonArray("data").size(), "MATCH finds the literal DENY, not the prefix");

        JsonArray deleted = object(proxy.delete(acls + "?principal=User%3Aalice")).getJsonArray("data");
        assertEquals(2, deleted.size(), deleted.encode());
        assertEquals(List.of("User:bob"), object(proxy.get(acls, V3)).getJsonArray("data").stream()
                .map(a -> ((JsonObject) a).getString("principal")).toList());

        error(proxy.post(acls, V3, "{\"resource_type\":\"TOPIC\",\"resource_name\":\"t\",\"principal\":\"User:x\","
                + "\"operation\":\"SHOUT\",\"permission\":\"ALLOW\"}"), 400, 40002);
        error(proxy.post(acls, V3, "{\"resource_type\":\"TOPIC\",\"resource_name\":\"t\",\"pattern_type\":\"ANY\","
                + "\"principal\":\"User:x\",\"operation\":\"READ\",\"permission\":\"ALLOW\"}"), 400, 40002);
        error(proxy.get(acls + "?operation=SHOUT", V3), 400, 40002);
    }

    private static ConfigEntry topicConfig(String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = cluster.admin()) {
            return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get(name);
        }
    }

    @Test
    void recordsOneAtATimeAndAsAStream() throws Exception {
        cluster.createTopic("v3-records", 2);
        String path = clusterPath + "/topics/v3-records/records";
        JsonObject single = object(proxy.post(path, V3, "{\"partition_id\":1,\"headers\":[{\"name\":\"Header-1\","
                + "\"value\":\"SGVhZGVyLTE=\"}],\"key\":{\"type\":\"BINARY\",\"data\":\"Zm9vYmFy\"},"
                + "\"value\":{\"type\":\"JSON\",\"data\":{\"foo\":\"bar\"}}}"));
        assertEquals(200, single.getInteger("error_code"));
        assertEquals(1, single.getInteger("partition_id"));
        assertEquals(0L, single.getLong("offset"));
        assertEquals(new JsonObject().put("type", "BINARY").put("size", 6), single.getJsonObject("key"));
        assertEquals(new JsonObject().put("type", "JSON").put("size", 13), single.getJsonObject("value"));

        String stream = "{\"partition_id\":0,\"value\":{\"type\":\"STRING\",\"data\":\"first\"}}\n"
                + "{\"partition_id\":0,\"value\":{\"type\":\"BINARY\",\"data\":\"not base64!\"}}\n"
                + new JsonObject().put("partition_id", 0)
                        .put("key", new JsonObject().put("type", "STRING").put("data", "k"))
                        .put("value", new JsonObject().put("schema", "{\"type\":\"record\",\"name\":\"V3\","
                                + "\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}").put("data",
                                new JsonObject().put("n", 7))).encode() + "\n"
                + "{\"partition_id\":5,\"value\":{\"type\":\"STRING\",\"data\":\"nowhere\"}}";
        String body = status(proxy.post(path, V3, stream), 200).body();
        List<JsonObject> results = body.lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
        assertEquals(4, results.size(), body);
        assertEquals(200, results.get(0).getInteger("error_code"));
        assertEquals(0L, results.get(0).getLong("offset"));
        assertEquals(400, results.get(1).getInteger("error_code"));
        assertEquals(200, results.get(2).getInteger("error_code"));
        assertEquals(1L, results.get(2).getLong("offset"), "the failed record took no offset");
        int schemaId = results.get(2).getJsonObject("value").getInteger("schema_id");
        assertEquals("v3-records-value", results.get(2).getJsonObject("value").getString("subject"));
        assertEquals(40403, results.get(3).getInteger("error_code"));

        List<ConsumerRecord<byte[], byte[]>> read = RestProxyV2ProduceTest.readAll(cluster, "v3-records", 3);
        ConsumerRecord<byte[], byte[]> first = read.stream().filter(r -> r.partition() == 1).findFirst().orElseThrow();
        assertArrayEquals("foobar".getBytes(StandardCharsets.UTF_8), first.key());
        assertEquals("{\"foo\":\"bar\"}", new String(first.value(), StandardCharsets.UTF_8));
        assertArrayEquals("Header-1".getBytes(StandardCharsets.UTF_8), first.headers().lastHeader("Header-1").value());
        ConsumerRecord<byte[], byte[]> avro = read.stream().filter(r -> r.partition() == 0 && r.offset() == 1)
                .findFirst().orElseThrow();
        ByteBuffer wire = ByteBuffer.wrap(avro.value());
        assertEquals(0, wire.get());
        assertEquals(schemaId, wire.getInt());
        assertEquals(7, wire.get() >> 1, "zig-zag int 7");

        error(proxy.post(path, V3, "{\"value\":{\"type\":\"BINARY\",\"data\":\"!!\"}}"), 400, 400);
        error(proxy.post(path, V3, "{\"value\":"), 400, 400);
        error(proxy.post(path, "text/plain", "{}"), 415, 415);
        error(proxy.post(clusterPath + "/topics/v3-none/records", V3, "{\"value\":{\"type\":\"STRING\","
                + "\"data\":\"x\"}}"), 404, 40403);
    }

    @Test
    void consumerGroupsAndTheirLag() throws Exception {
        cluster.createTopic("v3-lag", 1);
        String path = clusterPath + "/topics/v3-lag/records";
        for (int i = 0; i < 3; i++) {
            object(proxy.post(path, V3, "{\"value\":{\"type\":\"STRING\",\"data\":\"r" + i + "\"}}"));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "v3-lag-group"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition("v3-lag", 0), new OffsetAndMetadata(1)),
                    Duration.ofSeconds(30));
        }
        JsonArray groups = object(proxy.get(clusterPath + "/consumer-groups", V3)).getJsonArray("data");
        JsonObject group = groups.stream().map(JsonObject.class::cast)
                .filter(g -> g.getString("consumer_group_id").equals("v3-lag-group")).findFirst().orElseThrow();
        assertEquals("KafkaConsumerGroup", group.getString("kind"));
        assertEquals(group, object(proxy.get(clusterPath + "/consumer-groups/v3-lag-group", V3)));
        JsonObject lag = object(proxy.get(clusterPath + "/consumer-groups/v3-lag-group/lags", V3))
                .getJsonArray("data").getJsonObject(0);
        assertEquals("v3-lag", lag.getString("topic_name"));
        assertEquals(0, lag.getInteger("partition_id"));
        assertEquals(1L, lag.getLong("current_offset"));
        assertEquals(3L, lag.getLong("log_end_offset"));
        assertEquals(2L, lag.getLong("lag"));
        error(proxy.get(clusterPath + "/consumer-groups/nobody-here", V3), 404, 404);
    }
}
