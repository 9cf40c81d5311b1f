package io.runnel.it.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelCluster;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's overview and topic pages show what the cluster has, as Admin sees it, and their forms change it:
 * topics created and deleted (after a confirmation page), configs set and reset; unless the console is read-only,
 * asks for a login it was not given, or the form was posted from another site.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleTopicsTest {
    private static RunnelCluster cluster;
    private static ConsoleHttp console;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().start();
        console = ConsoleHttp.start(cluster.bootstrapServers(), null, false, Map.of());
        admin = ClusterAdmin.admin(cluster);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (console != null) {
            console.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theOverviewShowsTheClusterAndItsBrokers() throws Exception {
        ConsoleHttp.Page page = console.get("/");
        assertEquals(200, page.status());
        assertEquals("Cluster overview · Runnel console", page.doc().title());
        assertTrue(page.text().contains(cluster.clusterId()), page.text());
        int node = cluster.nodeIds().get(0);
        Map<String, String> broker = page.row("Brokers", "Broker", String.valueOf(node));
        assertEquals(cluster.bootstrapServers(), broker.get("Address"));
        assertEquals("yes", broker.get("Controller"));
        assertTrue(page.text().contains("Offline partitions 0"), page.text());
    }

    @Test
    void aTopicCreatedByAdminIsListedWithItsPartitionsAndRecords() throws Exception {
        cluster.createTopic("orders", 3);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("orders", i % 3, null, ("o" + i).getBytes())).get();
            }
        }
        Map<String, String> row = console.get("/topics").row(null, "Name", "orders");
        assertEquals("3", row.get("Partitions"));
        assertEquals("1", row.get("Replication factor"));
        assertEquals("5", row.get("Records"));
        assertEquals("", row.get("Under-replicated"));

        List<Map<String, String>> found = console.get("/topics?search=rde").table(null);
        assertEquals(List.of("orders"), found.stream().map(r -> r.get("Name")).toList());
        assertTrue(console.get("/topics?search=nothing-like-it").table(null).isEmpty());

        ConsoleHttp.Page topic = console.get("/topics/orders");
        List<Map<String, String>> partitions = topic.table("Partitions");
        assertEquals(3, partitions.size());
        long records = partitions.stream().mapToLong(p -> Long.parseLong(p.get("End offset"))
                - Long.parseLong(p.get("Start offset"))).sum();
        assertEquals(5, records);
        assertEquals(String.valueOf(cluster.nodeIds().get(0)), partitions.get(0).get("Leader"));
        assertEquals(partitions.get(0).get("Replicas"), partitions.get(0).get("In-sync replicas"));
    }

    @Test
    void theCreateFormMakesATopicAndDeletingAsksFirst() throws Exception {
        ConsoleHttp.Page created = console.submit(console.get("/topics"), "Create a topic", Map.of("name",
                "from-form", "partitions", "4", "replication", "1",
                "configs", "retention.ms=3600000\ncleanup.policy=compact"));
        assertEquals(200, created.status(), created.text());
        assertTrue(created.text().contains("Created topic from-form"), created.text());
        assertEquals(4, admin.describeTopics(List.of("from-form")).allTopicNames().get().get("from-form")
                .partitions().size());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "from-form");
        assertEquals("compact", admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get("cleanup.policy").value());

        ConsoleHttp.Page again = console.post("/topics", Map.of("name", "from-form", "partitions", "1"));
        assertEquals(409, again.status());
        assertTrue(again.text().contains("already exists"), again.text());
        ConsoleHttp.Page bad = console.post("/topics", Map.of("name", "bad-partitions", "partitions", "many"));
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("partitions: 'many' must be a whole number"), bad.text());

        ConsoleHttp.Page confirm = console.get("/topics/from-form/delete");
        assertEquals(200, confirm.status());
        assertTrue(admin.listTopics().names().get().contains("from-form"), "the confirmation page deletes nothing");
        assertEquals("Delete from-form", confirm.doc().selectFirst("main form button").text());
        ConsoleHttp.Page deleted = console.submit(confirm, "Delete from-form", Map.of());
        assertTrue(deleted.text().contains("Deleted topic from-form"), deleted.text());
        assertFalse(admin.listTopics().names().get().contains("from-form"));
    }

    @Test
    void configsAreShownWithTheirDefaultsAndChangedInPlace() throws Exception {
        cluster.createTopic("tuned", 1);
        ConsoleHttp.Page topic = console.get("/topics/tuned");
        Map<String, String> retention = topic.row("Configs", "Name", "retention.ms");
        assertEquals("604800000", retention.get("Value"));
        assertEquals("default", retention.get("Source"));

        ConsoleHttp.Page saved = console.post("/topics/tuned/configs", Map.of("name", "retention.ms",
                "value", "1000", "action", "set"));
        assertEquals(1, topic.doc().select("form[action=/topics/tuned/configs]:has(input[value=retention.ms]) "
                + "input[name=value]").size(), "retention.ms has its Save form");
        assertTrue(saved.text().contains("Set retention.ms"), saved.text());
        assertEquals("1000", saved.row("Configs", "Name", "retention.ms").get("Value"));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "tuned");
        ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms");
        assertEquals("1000", entry.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source());

        ConsoleHttp.Page reset = console.post("/topics/tuned/configs", Map.of("name", "retention.ms",
                "action", "reset"));
        assertEquals("default", reset.row("Configs", "Name", "retention.ms").get("Source"));
        ConsoleHttp.Page refused = console.post("/topics/tuned/configs", Map.of("name", "retention.ms",
                "value", "soon", "action", "set"));
        assertEquals(400, refused.status());
        assertTrue(refused.text().contains("retention.ms"), refused.text());
    }

    @Test
    void aReadOnlyConsoleShowsNoFormsAndRefusesEveryChange() throws Exception {
        try (ConsoleHttp readOnly = ConsoleHttp.start(cluster.bootstrapServers(), null, true, Map.of())) {
            cluster.createTopic("watched", 1);
            ConsoleHttp.Page topics = readOnly.get("/topics");
            assertEquals(200, topics.status());
            assertEquals("1", topics.row(null, "Name", "watched").get("Partitions"));
            assertTrue(topics.doc().select("form[method=post]").isEmpty(), topics.doc().select("main").html());
            assertTrue(readOnly.get("/topics/watched").doc().select("form[method=post], a[href$=/delete]")
                    .isEmpty());
            assertEquals("Read-only", topics.doc().selectFirst(".readonly").text());

            ConsoleHttp.Page refused = readOnly.post("/topics", Map.of("name", "sneaky", "partitions", "1"));
            assertEquals(403, refused.status());
            assertTrue(refused.text().contains("console.read.only=true"), refused.text());
            assertEquals(403, readOnly.post("/topics/watched/delete", Map.of("confirm", "watched")).status());
            assertEquals(403, readOnly.post("/topics/watched/messages", Map.of("value", "v")).status());
            assertFalse(admin.listTopics().names().get().contains("sneaky"));
            assertTrue(admin.listTopics().names().get().contains("watched"));
            assertEquals(0, admin.listOffsets(Map.of(new TopicPartition("watched", 0), OffsetSpec.latest())).all()
                    .get().values().iterator().next().offset(), "nothing was produced");
        }
    }

    @Test
    void aLoginIsAskedWhenUsersAreConfiguredAndAnotherSitesFormIsRefused() throws Exception {
        try (ConsoleHttp guarded = ConsoleHttp.start(cluster.bootstrapServers(), null, false,
                Map.of("alice", "s3cret"))) {
            ConsoleHttp.Page anonymous = guarded.get("/topics");
            assertEquals(401, anonymous.status());
            assertTrue(anonymous.doc().select("table").isEmpty(), "nothing of the cluster is shown");
            assertEquals(401, guarded.post("/topics", Map.of("name", "anonymous", "partitions", "1")).status());
            assertEquals(401, guarded.login("alice", "wrong").get("/").status());

            guarded.login("alice", "s3cret");
            assertEquals(200, guarded.get("/").status());
            ConsoleHttp.Page created = guarded.post("/topics", Map.of("name", "by-alice", "partitions", "1"));
            assertEquals(200, created.status(), created.text());
            ConsoleHttp.Page crossSite = guarded.post("/topics", Map.of("name", "by-evil", "partitions", "1"),
                    "http://evil.example");
            assertEquals(403, crossSite.status());
            assertFalse(admin.listTopics().names().get().contains("anonymous"));
            assertFalse(admin.listTopics().names().get().contains("by-evil"));
            assertTrue(admin.listTopics().names().get().contains("by-alice"));
        }
    }

    @Test
    void aMissingTopicIsA404PageAndAclsSayTheClusterHasNoAuthorizer() throws Exception {
        ConsoleHttp.Page missing = console.get("/topics/no-such-topic");
        assertEquals(404, missing.status());
        assertNull(missing.doc().selectFirst("pre:containsOwn(at io.)"), "no stack trace");
        ConsoleHttp.Page acls = console.get("/acls");
        assertEquals(200, acls.status());
        assertTrue(acls.doc().selectFirst("[role=alert]").text().contains("no authorizer"), acls.text());
        assertEquals(404, console.get("/no/such/page").status());
    }
}
