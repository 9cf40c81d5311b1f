package io.runnel.it.configs;

import static io.runnel.it.Futures.assertFailsWith;
import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Topic and broker configs through the real Admin client: describe, alter, validation, live effect, DeleteRecords. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamicConfigsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    private RunnelCluster cluster;
    private Admin admin;
    private ConfigResource thisBroker;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().start();
        admin = cluster.admin();
        thisBroker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(cluster.nodeIds().get(0)));
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close();
        }
        cluster.close();
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    /** Creates a one-partition topic with the configs and waits until its partition has a leader. */
    private ConfigResource createTopic(String name, Map<String, String> configs) {
        get(admin.createTopics(List.of(new NewTopic(name, Optional.of(1), Optional.empty()).configs(configs))).all());
        Await.awaitCondition(WAIT, () -> {
            try {
                return admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().get(0).leader() != null;
            } catch (Exception e) {
                return false;
            }
        }, name + " has a leader");
        return topic(name);
    }

    private List<ConfigResource> brokers() {
        return cluster.nodeIds().stream()
                .map(node -> new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(node))).toList();
    }

    private Config describe(ConfigResource resource) {
        return get(admin.describeConfigs(List.of(resource),
                new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true)).all()).get(resource);
    }

    private void alter(ConfigResource resource, AlterConfigOp... ops) {
        get(admin.incrementalAlterConfigs(Map.of(resource, List.<AlterConfigOp>of(ops))).all());
    }

    private static AlterConfigOp op(String key, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(key, value), type);
    }

    /**
     * The resource's configs once they show the value. A describe may reach another broker than the change did, and
     * brokers apply the metadata log each at its own pace; one change is applied whole, so the rest of it is there.
     */
    private Config awaitValue(ConfigResource resource, String key, String value) {
        Config[] seen = new Config[1];
        Await.awaitCondition(WAIT, () -> {
            seen[0] = describe(resource);
            return value.equals(seen[0].get(key).value());
        }, key + "=" + value);
        return seen[0];
    }

    /**
     * Sends a 2000-byte record until the partition's leader refuses it as too large, failing on any other outcome
     * than success or that: the leader applies a change when its metadata log reaches it, which may be later than
     * for the broker that answered a describe.
     */
    private static void awaitRecordTooLarge(KafkaProducer<byte[], byte[]> producer, String topic) {
        Await.awaitCondition(WAIT, () -> {
            try {
                producer.send(new ProducerRecord<>(topic, new byte[2000])).get();
                return false;
            } catch (ExecutionException e) {
                assertInstanceOf(RecordTooLargeException.class, e.getCause());
                return true;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, "the leader of " + topic + " refuses a record over max.message.bytes");
    }

    @Test
    void describeShowsSourcesSynonymsTypesAndDocumentation() {
        ConfigResource t = createTopic("described", Map.of("retention.ms", "1000"));
        Config config = describe(t);

        ConfigEntry retention = config.get("retention.ms");
        assertEquals("1000", retention.value());
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());
        assertEquals(List.of("DYNAMIC_TOPIC_CONFIG:retention.ms=1000", "DEFAULT_CONFIG:log.retention.hours=168"),
                retention.synonyms().stream().map(s -> s.source() + ":" + s.name() + "=" + s.value()).toList());
        assertEquals(ConfigEntry.ConfigType.LONG, retention.type());
        assertNotNull(retention.documentation());

        ConfigEntry segmentBytes = config.get("segment.bytes");
        assertEquals("1073741824", segmentBytes.value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, segmentBytes.source());
        assertEquals(ConfigEntry.ConfigType.INT, segmentBytes.type());
        assertEquals(ConfigEntry.ConfigType.LIST, config.get("cleanup.policy").type());

        Config plain = get(admin.describeConfigs(List.of(t)).all()).get(t);
        assertTrue(plain.entries().size() > 20, "every topic config is described");
        assertNull(plain.get("retention.ms").documentation(), "no documentation unless asked");
        assertTrue(plain.get("retention.ms").synonyms().isEmpty(), "no synonyms unless asked");
    }

    @Test
    void incrementalSetDeleteAppendSubtractRoundTrip() {
        ConfigResource t = createTopic("incremental", Map.of("retention.ms", "1000"));

        alter(t, op("segment.ms", "60000", AlterConfigOp.OpType.SET),
                op("retention.ms", null, AlterConfigOp.OpType.DELETE),
                op("cleanup.policy", "compact", AlterConfigOp.OpType.APPEND));
        Config config = awaitValue(t, "cleanup.policy", "delete,compact");
        assertEquals("60000", config.get("segment.ms").value());
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, config.get("segment.ms").source());
        assertEquals(ConfigSource.DEFAULT_CONFIG, config.get("retention.ms").source());

        alter(t, op("cleanup.policy", "delete", AlterConfigOp.OpType.SUBTRACT));
        awaitValue(t, "cleanup.policy", "compact");
    }

    @Test
    void legacyAlterConfigsReplacesTheWholeSet() throws Exception {
        ConfigResource t = createTopic("legacy", Map.of("retention.ms", "1000", "segment.ms", "60000"));

        assertEquals(Errors.NONE, LegacyAlterConfigs.replace(cluster.bootstrapServers(), t, Map.of("max.message.bytes", "5000")));
        Config config = awaitValue(t, "max.message.bytes", "5000");
        assertEquals(ConfigSource.DEFAULT_CONFIG, config.get("retention.ms").source());
        assertEquals(ConfigSource.DEFAULT_CONFIG, config.get("segment.ms").source());
        assertEquals(Errors.INVALID_CONFIG,
                LegacyAlterConfigs.replace(cluster.bootstrapServers(), t, Map.of("max.message.bytes", "-5")));
    }

    @Test
    void invalidChangesAreRefusedWithKafkasErrors() {
        ConfigResource t = createTopic("refusals", Map.of());

        InvalidConfigurationException badValue = assertFailsWith(InvalidConfigurationException.class,
                admin.incrementalAlterConfigs(Map.of(t, List.of(op("segment.bytes", "10", AlterConfigOp.OpType.SET)))).all());
        assertTrue(badValue.getMessage().contains("segment.bytes"), badValue.getMessage());
        assertFailsWith(InvalidConfigurationException.class, admin.incrementalAlterConfigs(
                Map.of(t, List.of(op("no.such.config", "1", AlterConfigOp.OpType.SET)))).all());
        assertFailsWith(InvalidConfigurationException.class, admin.incrementalAlterConfigs(
                Map.of(t, List.of(op("retention.ms", "1", AlterConfigOp.OpType.APPEND)))).all());
        assertFailsWith(UnknownTopicOrPartitionException.class, admin.incrementalAlterConfigs(
                Map.of(topic("no-such-topic"), List.of(op("retention.ms", "1", AlterConfigOp.OpType.SET)))).all());
        InvalidRequestException readOnly = assertFailsWith(InvalidRequestException.class, admin.incrementalAlterConfigs(
                Map.of(thisBroker, List.of(op("log.dirs", "/tmp/elsewhere", AlterConfigOp.OpType.SET)))).all());
        assertTrue(readOnly.getMessage().contains("log.dirs"), readOnly.getMessage());

        get(admin.incrementalAlterConfigs(Map.of(t, List.of(op("retention.ms", "5", AlterConfigOp.OpType.SET))),
                new AlterConfigsOptions().validateOnly(true)).all());
        assertEquals(ConfigSource.DEFAULT_CONFIG, describe(t).get("retention.ms").source(), "validateOnly changes nothing");
    }

    @Test
    void brokerAndClusterDefaultConfigs() {
        ConfigResource t = createTopic("broker-defaults", Map.of());
        try {
            alter(CLUSTER_DEFAULT, op("log.retention.ms", "7000", AlterConfigOp.OpType.SET));
            assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
                    awaitValue(t, "retention.ms", "7000").get("retention.ms").source());
            // Every broker applies the cluster default, each answering for itself.
            for (ConfigResource broker : brokers()) {
                awaitValue(broker, "log.retention.ms", "7000");
            }
            ConfigEntry clusterWide = describe(CLUSTER_DEFAULT).get("log.retention.ms");
            assertEquals("7000", clusterWide.value());
            assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, clusterWide.source());

            // A topic's value falls back to the config of the broker describing it: set on each, whichever answers.
            for (ConfigResource broker : brokers()) {
                alter(broker, op("log.retention.ms", "8000", AlterConfigOp.OpType.SET));
            }
            awaitValue(t, "retention.ms", "8000");
            ConfigEntry perBroker = awaitValue(thisBroker, "log.retention.ms", "8000").get("log.retention.ms");
            assertEquals(ConfigSource.DYNAMIC_BROKER_CONFIG, perBroker.source());
            assertFalse(perBroker.isReadOnly());
            assertEquals(List.of(ConfigSource.DYNAMIC_BROKER_CONFIG, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                    perBroker.synonyms().stream().map(ConfigEntry.ConfigSynonym::source).toList());
            assertTrue(describe(thisBroker).get("log.dirs").isReadOnly());
        } finally {
            for (ConfigResource broker : brokers()) {
                alter(broker, op("log.retention.ms", null, AlterConfigOp.OpType.DELETE));
            }
            alter(CLUSTER_DEFAULT, op("log.retention.ms", null, AlterConfigOp.OpType.DELETE));
        }
        awaitValue(t, "retention.ms", "604800000");
    }

    @Test
    void topicChangesTakeEffectWithoutRestart() throws Exception {
        ConfigResource t = createTopic("live", Map.of());
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(noRetries())) {
            get(producer.send(new ProducerRecord<>("live", new byte[2000])));

            alter(t, op("max.message.bytes", "1000", AlterConfigOp.OpType.SET));
            awaitValue(t, "max.message.bytes", "1000");
            awaitRecordTooLarge(producer, "live");

            long createTime = 1_000_000L;
            assertEquals(createTime, get(producer.send(new ProducerRecord<>("live", 0, createTime, null, new byte[10]))).timestamp());
            alter(t, op("message.timestamp.type", "LogAppendTime", AlterConfigOp.OpType.SET));
            awaitValue(t, "message.timestamp.type", "LogAppendTime");
            Await.awaitCondition(WAIT, () -> get(producer.send(
                    new ProducerRecord<>("live", 0, createTime, null, new byte[10]))).timestamp() != createTime,
                    "the leader stamps LogAppendTime");
        }
    }

    @Test
    void clusterDefaultChangesTakeEffectWithoutRestart() {
        ConfigResource t = createTopic("live-default", Map.of());
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(noRetries())) {
            alter(CLUSTER_DEFAULT, op("message.max.bytes", "1000", AlterConfigOp.OpType.SET));
            awaitValue(t, "max.message.bytes", "1000");
            awaitRecordTooLarge(producer, "live-default");
        } finally {
            alter(CLUSTER_DEFAULT, op("message.max.bytes", null, AlterConfigOp.OpType.DELETE));
        }
        awaitValue(t, "max.message.bytes", "1048588");
    }

    @Test
    void deleteRecordsMovesTheEarliestOffset() {
        createTopic("trimmed", Map.of());
        TopicPartition tp = new TopicPartition("trimmed", 0);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < 10; i++) {
                get(producer.send(new ProducerRecord<>("trimmed", 0, null, new byte[10])));
            }
        }
        assertEquals(4, get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(tp))
                .lowWatermark());
        assertEquals(4, get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)).offset());
        assertFailsWith(OffsetOutOfRangeException.class,
                admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(11))).lowWatermarks().get(tp));
        assertEquals(10, get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(tp))
                .lowWatermark(), "-1 deletes up to the high watermark");
    }

    @Test
    void configsSurviveARestart() throws Exception {
        ConfigResource t = createTopic("durable", Map.of());
        alter(t, op("retention.ms", "4321", AlterConfigOp.OpType.SET));
        alter(CLUSTER_DEFAULT, op("log.segment.bytes", "2097152", AlterConfigOp.OpType.SET));
        try {
            cluster.restart();
            admin.close();
            admin = cluster.admin();
            assertEquals("4321", describe(t).get("retention.ms").value());
            assertEquals("2097152", describe(t).get("segment.bytes").value());
        } finally {
            alter(CLUSTER_DEFAULT, op("log.segment.bytes", null, AlterConfigOp.OpType.DELETE));
        }
    }

    private static Properties noRetries() {
        Properties props = new Properties();
        props.put(ProducerConfig.RETRIES_CONFIG, "0");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        return props;
    }
}
