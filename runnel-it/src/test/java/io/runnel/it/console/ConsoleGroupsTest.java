package io.runnel.it.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consumer groups in the console: their lag as end offset minus committed offset, their members, offsets reset
 * (as a consumer of the group then sees them) only while the group is empty, and their deletion. The cluster has
 * the ACL authorizer (allowing what no ACL names), so the ACL pages list, add and remove ACLs too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleGroupsTest {
    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);
    private static RunnelCluster cluster;
    private static ConsoleHttp console;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder()
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("allow.everyone.if.no.acl.found", "true").start();
        console = ConsoleHttp.start(cluster.bootstrapServers(), null, false, Map.of());
        admin = ClusterAdmin.admin(cluster);
        cluster.createTopic("events", 2);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("events", i < 6 ? 0 : 1, null, ("e" + i).getBytes())).get();
            }
        }
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

    private static KafkaConsumer<byte[], byte[]> member(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return cluster.consumer(props);
    }

    /** Commits these offsets for {@code group} and leaves it empty. */
    private static void commit(String group, long p0, long p1) {
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            consumer.assign(List.of(P0, P1));
            consumer.commitSync(Map.of(P0, new OffsetAndMetadata(p0), P1, new OffsetAndMetadata(p1)));
        }
    }

    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(Set.of(P0, P1));
            return Map.of(P0, offsets.get(P0).offset(), P1, offsets.get(P1).offset());
        }
    }

    @Test
    void aGroupsLagIsTheEndOffsetMinusTheCommittedOne() throws Exception {
        commit("lagging", 2, 1);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(Map.of(
                P0, OffsetSpec.latest(), P1, OffsetSpec.latest())).all().get();
        long lag0 = end.get(P0).offset() - 2;
        long lag1 = end.get(P1).offset() - 1;

        Map<String, String> listed = console.get("/groups").row(null, "Group", "lagging");
        assertEquals("Empty", listed.get("State"));
        assertEquals("0", listed.get("Members"));
        assertEquals(String.valueOf(lag0 + lag1), listed.get("Lag"));

        ConsoleHttp.Page group = console.get("/groups/lagging");
        List<Map<String, String>> offsets = group.table("Offsets");
        assertEquals(List.of("2", "1"), offsets.stream().map(r -> r.get("Committed offset")).toList());
        assertEquals(List.of(String.valueOf(end.get(P0).offset()), String.valueOf(end.get(P1).offset())),
                offsets.stream().map(r -> r.get("End offset")).toList());
        assertEquals(List.of(String.valueOf(lag0), String.valueOf(lag1)),
                offsets.stream().map(r -> r.get("Lag")).toList());
        assertEquals(String.valueOf(lag0 + lag1), console.get("/topics/events").row("Consumer groups", "Group",
                "lagging").get("Lag"), "the topic's page shows its consumers' lag too");
    }

    @Test
    void offsetsAreResetWhileTheGroupIsEmptyAsItsConsumersThenSeeThem() throws Exception {
        commit("resetting", 5, 3);
        ConsoleHttp.Page earliest = console.submit(console.get("/groups/resetting"), "Reset offsets",
                Map.of("to", "earliest"));
        assertTrue(earliest.text().contains("Reset 2 partition(s) to earliest"), earliest.text());
        assertEquals(Map.of(P0, 0L, P1, 0L), committed("resetting"));

        console.post("/groups/resetting/reset", Map.of("to", "offset", "offset", "4", "topic", "events"));
        // An offset past a partition's end is clamped to it, as kafka-consumer-groups.sh does.
        assertEquals(Map.of(P0, 4L, P1, 4L), committed("resetting"));
        console.post("/groups/resetting/reset", Map.of("to", "latest"));
        assertEquals(Map.of(P0, 6L, P1, 4L), committed("resetting"));
        console.post("/groups/resetting/reset", Map.of("to", "timestamp", "timestamp", "0"));
        assertEquals(Map.of(P0, 0L, P1, 0L), committed("resetting"));

        ConsoleHttp.Page bad = console.post("/groups/resetting/reset", Map.of("to", "somewhere"));
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("to: 'somewhere' must be earliest, latest, offset or timestamp"),
                bad.text());
    }

    @Test
    void anActiveGroupIsShownWithItsMembersAndItsOffsetsAreNotReset() throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = member("active")) {
            consumer.subscribe(List.of("events"));
            Await.awaitCondition(Duration.ofSeconds(30), () -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
            }, "the member is assigned both partitions");
            consumer.commitSync(Map.of(P0, new OffsetAndMetadata(1), P1, new OffsetAndMetadata(1)));

            ConsoleHttp.Page group = console.get("/groups/active");
            assertEquals("Stable", group.doc().select("dl.facts dd").first().text());
            List<Map<String, String>> members = group.table("Members");
            assertEquals(1, members.size());
            assertEquals("events-0, events-1", members.get(0).get("Assignment"));
            assertTrue(group.doc().select("form[action$=/reset]").isEmpty(), "no reset form for an active group");

            ConsoleHttp.Page refused = console.post("/groups/active/reset", Map.of("to", "earliest"));
            assertEquals(409, refused.status());
            assertTrue(refused.text().contains("has 1 active member(s): offsets can only be reset while it is "
                    + "empty"), refused.text());
            assertEquals(Map.of(P0, 1L, P1, 1L), committed("active"));
        }
    }

    @Test
    void aGroupIsDeletedAfterItsConfirmationPage() throws Exception {
        commit("doomed", 1, 1);
        ConsoleHttp.Page confirm = console.get("/groups/doomed/delete");
        assertEquals("Delete doomed", confirm.doc().selectFirst("main form button").text());
        assertTrue(admin.listGroups().all().get().stream().anyMatch(g -> g.groupId().equals("doomed")));
        ConsoleHttp.Page deleted = console.submit(confirm, "Delete doomed", Map.of());
        assertTrue(deleted.text().contains("Deleted consumer group doomed"), deleted.text());
        assertFalse(admin.listGroups().all().get().stream().anyMatch(g -> g.groupId().equals("doomed")));
        assertEquals(404, console.get("/groups/doomed").status());
    }

    @Test
    void aclsAreListedAddedAndRemoved() throws Exception {
        Map<String, String> acl = Map.of("resourceType", "TOPIC", "name", "payroll", "patternType", "PREFIXED",
                "principal", "User:alice", "host", "*", "operation", "READ", "permission", "ALLOW");
        ConsoleHttp.Page added = console.submit(console.get("/acls"), "Add an ACL", acl);
        assertEquals(200, added.status(), added.text());
        AclBindingFilter any = AclBindingFilter.ANY;
        AclBinding binding = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "payroll", PatternType.PREFIXED),
                new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
        assertEquals(List.of(binding), List.copyOf(admin.describeAcls(any).values().get()));
        Map<String, String> row = added.row(null, "Principal", "User:alice");
        assertEquals("payroll", row.get("Resource"));
        assertEquals("PREFIXED", row.get("Pattern"));
        assertEquals("READ", row.get("Operation"));

        ConsoleHttp.Page bad = console.post("/acls", Map.of("resourceType", "TOPIC", "name", "x", "patternType",
                "LITERAL", "principal", "alice", "operation", "READ", "permission", "ALLOW"));
        assertEquals(400, bad.status());
        assertTrue(bad.text().contains("principal: 'alice' must be type:name"), bad.text());

        ConsoleHttp.Page removed = console.submit(added, "Remove", Map.of());
        assertTrue(removed.text().contains("Removed"), removed.text());
        assertTrue(admin.describeAcls(any).values().get().isEmpty());
        assertTrue(removed.table(null).isEmpty());
    }
}
