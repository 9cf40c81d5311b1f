package io.runnel.it.acls;

import static io.runnel.it.acls.AclUsers.allow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.compat.SecuredClients;
import io.runnel.it.sasl.SaslClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes with {@code allow.everyone.if.no.acl.found=true}: a topic without ACLs is open to everyone; an ACL
 * made through one node reaches every node's image and closes the topic to everyone it does not name, on every
 * partition leader, for kafka-clients, librdkafka (kcat) and KafkaJS alike.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AclClusterTest {
    private static final int PARTITIONS = 3;

    @TempDir
    static Path dir;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = AclUsers.cluster(true).nodes(3).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String nodeAddress(int nodeId) {
        return "127.0.0.1:" + cluster.server(nodeId).boundPort(AclUsers.LISTENER);
    }

    private static KafkaProducer<byte[], byte[]> producer(String user) {
        Properties props = AclUsers.as(cluster, user);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return cluster.producer(props);
    }

    private static void produceToEveryPartition(String user, String topic) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(user)) {
            for (int p = 0; p < PARTITIONS; p++) {
                producer.send(new ProducerRecord<>(topic, p, null, user.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static long records(String topic) throws Exception {
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(r -> r.offset()).sum();
        }
    }

    @Test
    void anAclMadeOnOneNodeAppliesOnEveryNode() throws Exception {
        cluster.createTopic("spread", PARTITIONS);
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            assertEquals(PARTITIONS, admin.describeTopics(List.of("spread")).allTopicNames().get().get("spread")
                    .partitions().stream().map(p -> p.leader().id()).distinct().count(),
                    "each node leads a partition, so each node decides for one");
        }
        produceToEveryPartition("bob", "spread");
        assertEquals(PARTITIONS, records("spread"), "without any ACL on it the topic is open to everyone");

        AclBinding aliceWrites = allow("alice", ResourceType.TOPIC, "spread", PatternType.LITERAL, AclOperation.WRITE);
        Properties throughNode1 = SaslClients.login("SASL_PLAINTEXT", "PLAIN", "admin", "admin-secret");
        throughNode1.put("bootstrap.servers", nodeAddress(1));
        try (Admin admin = Admin.create(throughNode1)) {
            admin.createAcls(List.of(aliceWrites)).all().get();
        }
        for (int node : cluster.nodeIds()) {
            Properties props = SaslClients.login("SASL_PLAINTEXT", "PLAIN", "admin", "admin-secret");
            props.put("bootstrap.servers", nodeAddress(node));
            try (Admin admin = Admin.create(props)) {
                Await.awaitCondition(Duration.ofSeconds(60), () -> describe(admin).contains(aliceWrites),
                        "node " + node + " describes the ACL made through node 1");
            }
        }

        produceToEveryPartition("alice", "spread");
        try (KafkaProducer<byte[], byte[]> producer = producer("bob")) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("spread", 0, null, new byte[1])).get());
            assertInstanceOf(TopicAuthorizationException.class, e.getCause());
        }
        assertEquals(2L * PARTITIONS, records("spread"), "bob's refused record is nowhere");
    }

    @Test
    void kcatGetsTheAuthorizationErrorForADeniedProduce() throws Exception {
        cluster.createTopic("guarded", PARTITIONS);
        AclUsers.create(cluster, allow("alice", ResourceType.TOPIC, "guarded", PatternType.LITERAL, AclOperation.ALL));
        Path err = dir.resolve("kcat.err");
        Process kcat = new ProcessBuilder("kcat", "-b", cluster.bootstrapServers(AclUsers.LISTENER),
                "-X", "security.protocol=sasl_plaintext", "-X", "sasl.mechanisms=PLAIN", "-X", "sasl.username=bob",
                "-X", "sasl.password=bob-secret", "-X", "message.timeout.ms=20000", "-P", "-t", "guarded", "-p", "0")
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = kcat.getOutputStream()) {
            in.write("refused\n".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(kcat.waitFor(120, TimeUnit.SECONDS), "kcat finished");
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertTrue(stderr.contains("Topic authorization failed"), stderr);
        assertEquals(0, records("guarded"), "the refused record is nowhere");
    }

    @Test
    void kafkaJsIsServedWhatItsAclsAllowAndRefusedTheRest() throws Exception {
        cluster.createTopic("guarded-js", PARTITIONS);
        AclUsers.create(cluster, allow("alice", ResourceType.TOPIC, "guarded-js", PatternType.LITERAL, AclOperation.ALL));
        AclUsers.create(cluster, allow("alice", ResourceType.GROUP, "guarded-js-group", PatternType.LITERAL,
                AclOperation.READ));
        String bootstrap = cluster.bootstrapServers(AclUsers.LISTENER);
        assertEquals(List.of("acknowledged 20", "consumed 20", "same"), SecuredClients.kafkaJs(bootstrap,
                kafkaJsLogin("alice"), "guarded-js", 20));
        List<String> bob = SecuredClients.kafkaJs(bootstrap, kafkaJsLogin("bob"), "guarded-js", 20);
        assertEquals(1, bob.size(), bob.toString());
        assertTrue(bob.get(0).startsWith("refused: KafkaJSNonRetriableError: Not authorized to access topics: [Topic authorization failed]"),
                bob.toString());
        assertEquals(20, records("guarded-js"), "bob's records are nowhere");
    }

    private static String kafkaJsLogin(String user) {
        return "{\"sasl\": {\"mechanism\": \"plain\", \"username\": \"" + user + "\", \"password\": \"" + user
                + "-secret\"}}";
    }

    private static List<AclBinding> describe(Admin admin) {
        try {
            return List.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
