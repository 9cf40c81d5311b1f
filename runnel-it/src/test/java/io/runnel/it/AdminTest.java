package io.runnel.it;

import static io.runnel.it.Futures.assertFailsWith;
import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RunnelCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = RunnelCluster.builder().start();
        admin = cluster.admin();
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void createdTopicIsDescribedAndListed() {
        Uuid id = get(admin.createTopics(List.of(new NewTopic("described", 3, (short) 1))).topicId("described"));
        assertNotEquals(Uuid.ZERO_UUID, id);
        int nodeId = cluster.nodeIds().get(0);

        Await.awaitCondition(WAIT, () -> topicNames().contains("described"), "described is listed");
        TopicDescription description = describe("described");
        assertEquals("described", description.name());
        assertEquals(id, description.topicId());
        assertFalse(description.isInternal());
        assertEquals(List.of(0, 1, 2), description.partitions().stream().map(TopicPartitionInfo::partition).toList());
        for (TopicPartitionInfo partition : description.partitions()) {
            assertEquals(nodeId, partition.leader().id(), "leader of partition " + partition.partition());
            assertEquals(List.of(nodeId), ids(partition.replicas()), "replicas of partition " + partition.partition());
            assertEquals(List.of(nodeId), ids(partition.isr()), "isr of partition " + partition.partition());
        }
    }

    @Test
    void validateOnlyCreatesNothing() {
        get(admin.createTopics(List.of(new NewTopic("validate-only", 2, (short) 1)),
                new CreateTopicsOptions().validateOnly(true)).all());

        assertFalse(topicNames().contains("validate-only"));
        assertFailsWith(UnknownTopicOrPartitionException.class,
                admin.describeTopics(List.of("validate-only")).allTopicNames());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "bad/name", "topic name", "x250"})
    void invalidTopicNamesAreRejected(String name) {
        String topic = name.equals("x250") ? "x".repeat(250) : name;
        assertFailsWith(InvalidTopicException.class,
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void nonPositivePartitionCountsAreRejected(int partitions) {
        String topic = "partitions" + partitions;
        assertFailsWith(InvalidPartitionsException.class,
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all());
        assertFalse(topicNames().contains(topic));
    }

    @Test
    void replicationFactorAboveBrokerCountIsRejected() {
        assertFailsWith(InvalidReplicationFactorException.class,
                admin.createTopics(List.of(new NewTopic("too-many-replicas", 1, (short) 3))).all());
        assertFalse(topicNames().contains("too-many-replicas"));
    }

    @Test
    void unknownOrInvalidTopicConfigIsRejected() {
        NewTopic unknownKey = new NewTopic("unknown-config", 1, (short) 1).configs(Map.of("no.such.config", "1"));
        assertFailsWith(InvalidConfigurationException.class, admin.createTopics(List.of(unknownKey)).all());

        NewTopic badValue = new NewTopic("bad-config", 1, (short) 1).configs(Map.of("retention.ms", "soon"));
        assertFailsWith(InvalidConfigurationException.class, admin.createTopics(List.of(badValue)).all());

        Set<String> topics = topicNames();
        assertFalse(topics.contains("unknown-config"));
        assertFalse(topics.contains("bad-config"));
    }

    @Test
    void creatingAnExistingTopicFails() {
        cluster.createTopic("exists", 1);
        assertFailsWith(TopicExistsException.class,
                admin.createTopics(List.of(new NewTopic("exists", 2, (short) 1))).all());
        assertEquals(1, describe("exists").partitions().size());
    }

    @Test
    void partitionsCanBeAddedButNotRemoved() {
        cluster.createTopic("grows", 2);
        get(admin.createPartitions(Map.of("grows", NewPartitions.increaseTo(4))).all());
        Await.awaitCondition(WAIT, () -> describe("grows").partitions().size() == 4, "grows has 4 partitions");

        assertFailsWith(InvalidPartitionsException.class,
                admin.createPartitions(Map.of("grows", NewPartitions.increaseTo(1))).all());
        assertFailsWith(InvalidPartitionsException.class,
                admin.createPartitions(Map.of("grows", NewPartitions.increaseTo(4))).all());
        assertEquals(4, describe("grows").partitions().size());
    }

    @Test
    void deletedTopicIsGoneAndCanBeCreatedAgainEmpty() {
        Uuid firstId = cluster.createTopic("deleted", 2);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < 10; i++) {
                get(producer.send(new ProducerRecord<>("deleted", i % 2, null, new byte[] {(byte) i})));
            }
        }

        get(admin.deleteTopics(List.of("deleted")).all());
        Await.awaitCondition(WAIT, () -> !topicNames().contains("deleted"), "deleted is no longer listed");
        assertFailsWith(UnknownTopicOrPartitionException.class,
                admin.describeTopics(List.of("deleted")).allTopicNames());

        Uuid secondId = cluster.createTopic("deleted", 2);
        assertNotEquals(firstId, secondId);
        Map<TopicPartition, OffsetSpec> latest = TopicReader.partitions("deleted", 2).stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        get(admin.listOffsets(latest).all()).forEach((tp, info) -> assertEquals(0, info.offset(), "end of " + tp));
    }

    @Test
    void clusterDescriptionNamesTheClusterAndItsNode() {
        DescribeClusterResult result = admin.describeCluster();
        assertEquals(cluster.clusterId(), get(result.clusterId()));
        Collection<Node> nodes = get(result.nodes());
        assertEquals(cluster.nodeIds(), nodes.stream().map(Node::id).toList());
        Node node = nodes.iterator().next();
        assertEquals("127.0.0.1", node.host());
        assertEquals(cluster.bootstrapServers(), node.host() + ":" + node.port());
        Node controller = get(result.controller());
        assertNotNull(controller);
        assertTrue(cluster.nodeIds().contains(controller.id()), "controller " + controller + " is a cluster node");
    }

    @Test
    void offsetsAreFoundByPositionAndTimestamp() {
        String topic = "timestamps";
        cluster.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        // CreateTime timestamps in the past, rising by a second, except offset 5 which holds the maximum.
        long base = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(2);
        long maxTimestamp = base + 1_000_000;
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < 10; i++) {
                long timestamp = i == 5 ? maxTimestamp : base + i * 1000L;
                get(producer.send(new ProducerRecord<>(topic, 0, timestamp, null, new byte[] {(byte) i})));
            }
        }

        assertEquals(0, listOffset(tp, OffsetSpec.earliest()).offset());
        assertEquals(10, listOffset(tp, OffsetSpec.latest()).offset());
        ListOffsetsResultInfo max = listOffset(tp, OffsetSpec.maxTimestamp());
        assertEquals(5, max.offset());
        assertEquals(maxTimestamp, max.timestamp());
        ListOffsetsResultInfo between = listOffset(tp, OffsetSpec.forTimestamp(base + 3500));
        assertEquals(4, between.offset());
        assertEquals(base + 4000, between.timestamp());
        assertEquals(5, listOffset(tp, OffsetSpec.forTimestamp(base + 6500)).offset(),
                "first offset whose timestamp is at least the target");
        assertEquals(-1, listOffset(tp, OffsetSpec.forTimestamp(maxTimestamp + 1)).offset());

        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            assertEquals(Map.of(tp, 0L), consumer.beginningOffsets(List.of(tp)));
            assertEquals(Map.of(tp, 10L), consumer.endOffsets(List.of(tp)));
            OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(tp, base + 3500)).get(tp);
            assertEquals(4, found.offset());
            assertEquals(base + 4000, found.timestamp());
            assertNull(consumer.offsetsForTimes(Map.of(tp, maxTimestamp + 1)).get(tp));
        }
    }

    @Test
    void topicConfigsIncludeCreationOverridesAndDefaults() {
        get(admin.createTopics(List.of(new NewTopic("configured", 1, (short) 1)
                .configs(Map.of("retention.ms", "3600000", "max.message.bytes", "2000000")))).all());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "configured");

        Config config = get(admin.describeConfigs(List.of(resource)).all()).get(resource);
        assertOverride(config, "retention.ms", "3600000");
        assertOverride(config, "max.message.bytes", "2000000");
        ConfigEntry cleanupPolicy = config.get("cleanup.policy");
        assertNotNull(cleanupPolicy, "cleanup.policy is described");
        assertEquals("delete", cleanupPolicy.value());
        assertNotEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, cleanupPolicy.source());
        assertNotNull(config.get("segment.bytes"), "segment.bytes is described");
    }

    private static void assertOverride(Config config, String key, String value) {
        ConfigEntry entry = config.get(key);
        assertNotNull(entry, key + " is described");
        assertEquals(value, entry.value(), key);
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source(), "source of " + key);
        assertFalse(entry.isDefault(), key + " is not a default");
    }

    private static ListOffsetsResultInfo listOffset(TopicPartition tp, OffsetSpec spec) {
        return get(admin.listOffsets(Map.of(tp, spec)).partitionResult(tp));
    }

    private static TopicDescription describe(String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    }

    private static Set<String> topicNames() {
        return get(admin.listTopics().names());
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }
}
