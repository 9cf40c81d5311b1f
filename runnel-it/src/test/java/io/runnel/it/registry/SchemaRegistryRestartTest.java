package io.runnel.it.registry;

import static io.runnel.it.registry.RegistryHttp.schemaBody;
import static io.runnel.it.registry.SchemaRegistryApiTest.object;
import static io.runnel.it.registry.SchemaRegistryApiTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import io.runnel.registry.RegistryConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry keeps nothing but the {@code _schemas} topic: after a restart of the brokers and of the registry the
 * same ids resolve to the same schemas and a new schema gets an id larger than every earlier one, permanently deleted
 * ones included. On three nodes the topic is replicated to all three and survives the loss of its leader.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SchemaRegistryRestartTest {
    @Test
    void idsSurviveARestartOfBrokerAndRegistry() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().start()) {
            Map<Integer, String> schemas = new LinkedHashMap<>();
            int largest;
            try (RegistryHttp registry = RegistryHttp.start(cluster.bootstrapServers())) {
                for (int i = 0; i < 5; i++) {
                    register(registry, "restart-" + (i % 2), i, schemas);
                }
                ok(registry.put("/config/restart-0", "{\"compatibility\":\"NONE\"}"));
                // The last schema goes for good: its id must still never be given again.
                ok(registry.delete("/subjects/restart-0/versions/3"));
                ok(registry.delete("/subjects/restart-0/versions/3?permanent=true"));
                largest = schemas.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
                schemas.remove(largest);
            }
            cluster.restart();
            try (RegistryHttp registry = RegistryHttp.start(cluster.bootstrapServers())) {
                for (Map.Entry<Integer, String> e : schemas.entrySet()) {
                    assertEquals(e.getValue(), ok(registry.get("/schemas/ids/" + e.getKey() + "/schema")).body());
                }
                assertEquals(404, registry.get("/schemas/ids/" + largest).statusCode());
                assertEquals(new io.vertx.core.json.JsonObject().put("compatibilityLevel", "NONE"),
                        object(ok(registry.get("/config/restart-0"))));
                int next = register(registry, "restart-0", 99, schemas);
                assertTrue(next > largest, "new id " + next + " after " + largest);
            }
        }
    }

    @Test
    void onThreeNodesTheTopicIsCompactedReplicatedAndOutlivesItsLeader() throws Exception {
        try (RunnelCluster cluster = ClusterShape.THREE_NODES.builder().start()) {
            Map<Integer, String> schemas = new LinkedHashMap<>();
            int leader;
            try (RegistryHttp registry = RegistryHttp.start(cluster.bootstrapServers());
                 Admin admin = cluster.admin()) {
                register(registry, "replicated", 0, schemas);
                TopicDescription topic = admin.describeTopics(List.of(RegistryConfig.DEFAULT_TOPIC))
                        .allTopicNames().get().get(RegistryConfig.DEFAULT_TOPIC);
                assertEquals(1, topic.partitions().size());
                assertEquals(3, topic.partitions().get(0).replicas().size());
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, RegistryConfig.DEFAULT_TOPIC);
                Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertEquals("compact", config.get("cleanup.policy").value());
                leader = topic.partitions().get(0).leader().id();
            }
            cluster.stop(leader);
            try (RegistryHttp registry = RegistryHttp.start(cluster.bootstrapServers())) {
                for (Map.Entry<Integer, String> e : schemas.entrySet()) {
                    assertEquals(e.getValue(), ok(registry.get("/schemas/ids/" + e.getKey() + "/schema")).body());
                }
                int next = register(registry, "replicated", 1, schemas);
                assertTrue(next > schemas.keySet().stream().filter(id -> id != next).mapToInt(i -> i).max()
                        .orElseThrow());
            }
        }
    }

    /**
     * Registers the {@code n}th schema under the subject and records its id and canonical text: the schemas differ in
     * their doc only, so each is a new schema and compatible with the others.
     */
    private static int register(RegistryHttp registry, String subject, int n, Map<Integer, String> schemas)
            throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"R\",\"doc\":\"" + n + "\",\"fields\":[{\"name\":\"f\","
                + "\"type\":\"int\"}]}";
        int id = object(ok(registry.post("/subjects/" + subject + "/versions", schemaBody(schema)))).getInteger("id");
        schemas.put(id, schema);
        return id;
    }
}
