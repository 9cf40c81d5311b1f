package io.runnel.it.acls;

import static io.runnel.it.acls.AclUsers.acl;
import static io.runnel.it.acls.AclUsers.allow;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.it.wire.ApiConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ACL matrix with kafka-clients, as alice and bob over SASL PLAIN, with {@code allow.everyone.if.no.acl.found}
 * off: for each API the principal with the ACL succeeds, the other gets Kafka's precise exception and no data.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AclMatrixTest {
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = AclUsers.cluster(false).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String user, Properties extra) {
        Properties props = AclUsers.as(cluster, user);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.putAll(extra);
        return cluster.producer(props);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String user, String group) {
        Properties props = AclUsers.as(cluster, user);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        return cluster.consumer(props);
    }

    private static void produce(String user, String topic, int records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(user, new Properties())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static <T extends Throwable> T cause(Class<T> type, ThrowingCall call) {
        ExecutionException e = assertThrows(ExecutionException.class, call::run);
        return assertInstanceOf(type, e.getCause());
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void produceNeedsWriteOnTheTopic() throws Exception {
        cluster.createTopic("orders", 1);
        AclUsers.create(cluster, allow("alice", TOPIC, "orders", LITERAL, WRITE));
        produce("alice", "orders", 3);
        try (KafkaProducer<byte[], byte[]> producer = producer("bob", new Properties())) {
            TopicAuthorizationException e = cause(TopicAuthorizationException.class,
                    () -> producer.send(new ProducerRecord<>("orders", 0, null, new byte[1])).get());
            assertEquals(Set.of("orders"), e.unauthorizedTopics());
        }
    }

    @Test
    void consumingNeedsReadOnTheTopicAndTheGroupAndABarredConsumerGetsNoRecord() throws Exception {
        cluster.createTopic("payments", 1);
        produce("admin", "payments", 5);
        AclUsers.create(cluster, allow("alice", TOPIC, "payments", LITERAL, READ),
                allow("alice", GROUP, "alice-group", LITERAL, READ),
                allow("bob", GROUP, "bob-group", LITERAL, READ));
        TopicPartition tp = new TopicPartition("payments", 0);

        List<String> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> alice = consumer("alice", "alice-group")) {
            alice.subscribe(List.of("payments"));
            Await.awaitCondition(Duration.ofSeconds(120), () -> {
                alice.poll(Duration.ofMillis(200)).forEach(r -> read.add(new String(r.value(), StandardCharsets.UTF_8)));
                return read.size() >= 5;
            }, "alice reads the 5 records of payments through her group");
            alice.commitSync(Map.of(tp, new OffsetAndMetadata(5)));
            assertEquals(5, alice.committed(Set.of(tp)).get(tp).offset());
        }
        assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), read);
        try (Admin alice = AclUsers.admin(cluster, "alice"); Admin bob = AclUsers.admin(cluster, "bob")) {
            assertTrue(groupIds(alice).contains("alice-group"), "alice lists the group she may read");
            assertFalse(groupIds(bob).contains("alice-group"), "bob does not see alice's group");
            cause(GroupAuthorizationException.class,
                    () -> bob.describeConsumerGroups(List.of("alice-group")).all().get());
        }

        try (KafkaConsumer<byte[], byte[]> bob = consumer("bob", "bob-group")) {
            bob.assign(List.of(tp));
            bob.seekToBeginning(List.of(tp));
            TopicAuthorizationException e = assertThrows(TopicAuthorizationException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    ConsumerRecords<byte[], byte[]> records = bob.poll(Duration.ofMillis(100));
                    assertTrue(records.isEmpty(), "bob read a record of payments");
                }
            });
            assertEquals(Set.of("payments"), e.unauthorizedTopics());
        }
        try (KafkaConsumer<byte[], byte[]> bob = consumer("bob", "alice-group")) {
            assertThrows(GroupAuthorizationException.class, () -> bob.committed(Set.of(tp)));
            assertThrows(GroupAuthorizationException.class, () -> bob.commitSync(Map.of(tp, new OffsetAndMetadata(1))));
        }
    }

    @Test
    void listTopicsShowsOnlyTheTopicsThePrincipalMayDescribe() throws Exception {
        cluster.createTopic("visible-to-alice", 1);
        AclUsers.create(cluster, allow("alice", TOPIC, "visible-", PREFIXED, DESCRIBE));
        try (Admin alice = AclUsers.admin(cluster, "alice"); Admin bob = AclUsers.admin(cluster, "bob")) {
            assertTrue(alice.listTopics().names().get().contains("visible-to-alice"));
            assertFalse(bob.listTopics().names().get().contains("visible-to-alice"));
            cause(TopicAuthorizationException.class,
                    () -> bob.describeTopics(List.of("visible-to-alice")).allTopicNames().get());
        }
    }

    private static Set<String> groupIds(Admin admin) throws Exception {
        Set<String> ids = new HashSet<>();
        admin.listGroups().all().get().forEach(g -> ids.add(g.groupId()));
        return ids;
    }

    @Test
    void autoCreationNeedsCreate() throws Exception {
        AclUsers.create(cluster, allow("alice", TOPIC, "auto-alice-", PREFIXED, CREATE),
                allow("alice", TOPIC, "auto-alice-", PREFIXED, WRITE),
                allow("bob", TOPIC, "auto-bob-", PREFIXED, WRITE));
        try (KafkaProducer<byte[], byte[]> producer = producer("alice", new Properties())) {
            producer.send(new ProducerRecord<>("auto-alice-made", new byte[1])).get();
        }
        try (KafkaProducer<byte[], byte[]> producer = producer("bob", new Properties())) {
            cause(TopicAuthorizationException.class,
                    () -> producer.send(new ProducerRecord<>("auto-bob-made", new byte[1])).get());
        }
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            Set<String> names = admin.listTopics().names().get();
            assertTrue(names.contains("auto-alice-made"), "created for alice, who may CREATE");
            assertFalse(names.contains("auto-bob-made"), "not created for bob, who may only WRITE");
        }
    }

    @Test
    void initTransactionsNeedsWriteOnTheTransactionalId() throws Exception {
        cluster.createTopic("ledger", 1);
        AclUsers.create(cluster, allow("alice", TRANSACTIONAL_ID, "alice-tx", LITERAL, WRITE),
                allow("alice", TOPIC, "ledger", LITERAL, WRITE));
        Properties aliceTx = new Properties();
        aliceTx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alice-tx");
        try (KafkaProducer<byte[], byte[]> producer = producer("alice", aliceTx)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("ledger", 0, null, new byte[1]));
            producer.commitTransaction();
        }
        Properties bobTx = new Properties();
        bobTx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alice-tx");
        try (KafkaProducer<byte[], byte[]> producer = producer("bob", bobTx)) {
            assertThrows(TransactionalIdAuthorizationException.class, producer::initTransactions);
        }
    }

    @Test
    void createAndDeleteTopicsNeedCreateAndDelete() throws Exception {
        AclUsers.create(cluster, allow("alice", TOPIC, "alice-", PREFIXED, CREATE),
                allow("alice", TOPIC, "alice-", PREFIXED, DELETE));
        try (Admin alice = AclUsers.admin(cluster, "alice"); Admin bob = AclUsers.admin(cluster, "bob")) {
            alice.createTopics(List.of(new NewTopic("alice-made", 1, (short) 1))).all().get();
            cause(TopicAuthorizationException.class,
                    () -> bob.createTopics(List.of(new NewTopic("bob-made", 1, (short) 1))).all().get());
            cause(TopicAuthorizationException.class, () -> bob.deleteTopics(List.of("alice-made")).all().get());
            alice.deleteTopics(List.of("alice-made")).all().get();
        }
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            Set<String> names = admin.listTopics().names().get();
            assertFalse(names.contains("alice-made"));
            assertFalse(names.contains("bob-made"));
        }
    }

    @Test
    void describeAndAlterConfigsNeedTheirOperations() throws Exception {
        cluster.createTopic("settings", 1);
        AclUsers.create(cluster, allow("alice", TOPIC, "settings", LITERAL, ALTER_CONFIGS));
        ConfigResource settings = new ConfigResource(ConfigResource.Type.TOPIC, "settings");
        Collection<AlterConfigOp> retention = List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "60000"),
                AlterConfigOp.OpType.SET));
        try (Admin alice = AclUsers.admin(cluster, "alice"); Admin bob = AclUsers.admin(cluster, "bob")) {
            alice.incrementalAlterConfigs(Map.of(settings, retention)).all().get();
            assertEquals("60000", alice.describeConfigs(List.of(settings)).all().get().get(settings)
                    .get("retention.ms").value(), "ALTER_CONFIGS implies DESCRIBE_CONFIGS");
            cause(TopicAuthorizationException.class,
                    () -> bob.incrementalAlterConfigs(Map.of(settings, retention)).all().get());
            cause(TopicAuthorizationException.class, () -> bob.describeConfigs(List.of(settings)).all().get());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "");
            cause(ClusterAuthorizationException.class, () -> alice.incrementalAlterConfigs(Map.of(broker,
                    List.of(new AlterConfigOp(new ConfigEntry("log.retention.ms", "60000"), AlterConfigOp.OpType.SET))))
                    .all().get());
        }
    }

    @Test
    void describeLogDirsNeedsDescribeOnTheCluster() throws Exception {
        int broker = cluster.nodeIds().get(0);
        try (Admin bob = AclUsers.admin(cluster, "bob")) {
            cause(ClusterAuthorizationException.class,
                    () -> bob.describeLogDirs(List.of(broker)).allDescriptions().get());
        }
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            assertEquals(Set.of(cluster.logDir(broker).toAbsolutePath().toString()),
                    admin.describeLogDirs(List.of(broker)).allDescriptions().get().get(broker).keySet());
        }
    }

    @Test
    void alterReplicaLogDirsNeedsAlterOnTheCluster() throws Exception {
        int broker = cluster.nodeIds().get(0);
        cluster.createTopic("placed", 1);
        TopicPartitionReplica replica = new TopicPartitionReplica("placed", 0, broker);
        Map<TopicPartitionReplica, String> move = Map.of(replica, cluster.logDir(broker).toAbsolutePath().toString());
        try (Admin bob = AclUsers.admin(cluster, "bob")) {
            cause(ClusterAuthorizationException.class, () -> bob.alterReplicaLogDirs(move).all().get());
        }
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            admin.alterReplicaLogDirs(move).all().get();
        }
    }

    @Test
    void clientQuotasNeedAlterConfigsAndDescribeConfigsOnTheCluster() throws Exception {
        ClientQuotaAlteration slow = new ClientQuotaAlteration(new ClientQuotaEntity(Map.of("user", "slow")),
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0)));
        try (Admin bob = AclUsers.admin(cluster, "bob")) {
            cause(ClusterAuthorizationException.class, () -> bob.alterClientQuotas(List.of(slow)).all().get());
            cause(ClusterAuthorizationException.class,
                    () -> bob.describeClientQuotas(ClientQuotaFilter.all()).entities().get());
        }
        AclUsers.create(cluster, allow("carol", ResourceType.CLUSTER, "kafka-cluster", LITERAL, ALTER_CONFIGS));
        try (Admin carol = AclUsers.admin(cluster, "carol")) {
            carol.alterClientQuotas(List.of(slow)).all().get();
            Await.awaitCondition(Duration.ofSeconds(30), () -> Futures.get(carol.describeClientQuotas(
                    ClientQuotaFilter.all()).entities()).containsKey(slow.entity()), "carol sees the quota she set");
        }
    }

    @Test
    void theAclApisNeedAlterAndDescribeOnTheClusterAndDenyWinsOverAllow() throws Exception {
        cluster.createTopic("audit-log", 1);
        AclBinding aliceWrites = allow("alice", TOPIC, "audit-", PREFIXED, WRITE);
        AclBinding aliceDenied = acl("alice", TOPIC, "audit-log", LITERAL, WRITE, AclPermissionType.DENY);
        try (Admin bob = AclUsers.admin(cluster, "bob")) {
            cause(ClusterAuthorizationException.class, () -> bob.createAcls(List.of(aliceWrites)).all().get());
            cause(ClusterAuthorizationException.class, () -> bob.describeAcls(AclBindingFilter.ANY).values().get());
            cause(ClusterAuthorizationException.class, () -> bob.deleteAcls(List.of(AclBindingFilter.ANY)).all().get());
        }
        AclUsers.create(cluster, aliceWrites, aliceDenied);
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            assertTrue(admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(List.of(aliceWrites,
                    aliceDenied)));
        }
        try (KafkaProducer<byte[], byte[]> producer = producer("alice", new Properties())) {
            cause(TopicAuthorizationException.class,
                    () -> producer.send(new ProducerRecord<>("audit-log", 0, null, new byte[1])).get());
        }
        try (Admin admin = AclUsers.admin(cluster, "admin")) {
            assertEquals(List.of(aliceDenied), new ArrayList<>(admin.deleteAcls(List.of(aliceDenied.toFilter())).all()
                    .get()));
        }
        produce("alice", "audit-log", 1);
    }

    /** On the wire, as the PLAINTEXT listener's super user: what is not one concrete ACL is INVALID_REQUEST. */
    @Test
    void filtersAndUnknownElementsAreInvalidRequests() throws Exception {
        try (ApiConnection wire = new ApiConnection(cluster.bootstrapServers(), "acl-validation")) {
            CreateAclsResponseData created = (CreateAclsResponseData) wire.send(new CreateAclsRequestData().setCreations(
                    List.of(creation(ResourceType.ANY.code(), "t", PatternType.LITERAL.code()),
                            creation(ResourceType.TOPIC.code(), "t", PatternType.MATCH.code()),
                            creation(ResourceType.CLUSTER.code(), "not-the-cluster", PatternType.LITERAL.code()),
                            creation(ResourceType.TOPIC.code(), "valid", PatternType.LITERAL.code()))), (short) 3);
            assertEquals(List.of(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.NONE),
                    created.results().stream().map(r -> Errors.forCode(r.errorCode())).toList(), created.toString());
            DescribeAclsResponseData described = (DescribeAclsResponseData) wire.send(new DescribeAclsRequestData()
                    .setResourceTypeFilter((byte) 99).setPatternTypeFilter(PatternType.ANY.code())
                    .setOperation(AclOperation.ANY.code()).setPermissionType(AclPermissionType.ANY.code()), (short) 3);
            assertEquals(Errors.INVALID_REQUEST.code(), described.errorCode(), described.toString());
        }
    }

    private static CreateAclsRequestData.AclCreation creation(byte resourceType, String name, byte patternType) {
        return new CreateAclsRequestData.AclCreation().setResourceType(resourceType).setResourceName(name)
                .setResourcePatternType(patternType).setPrincipal("User:alice").setHost("*")
                .setOperation(AclOperation.READ.code()).setPermissionType(AclPermissionType.ALLOW.code());
    }

    @Test
    void aSuperUserNeedsNoAcl() throws Exception {
        cluster.createTopic("admin-only", 1);
        produce("admin", "admin-only", 2);
        try (KafkaConsumer<byte[], byte[]> admin = consumer("admin", "admin-group")) {
            List<String> read = new ArrayList<>();
            TopicReader.readAll(admin, TopicReader.partitions("admin-only", 1), Duration.ofSeconds(60),
                    r -> read.add(new String(r.value(), StandardCharsets.UTF_8)));
            assertEquals(List.of("v0", "v1"), read);
        }
    }
}
