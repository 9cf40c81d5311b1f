package io.runnel.it.configs;

import static io.runnel.it.Futures.assertFailsWith;
import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.it.wire.ApiConnection;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The broker settings Kafka marks dynamic beyond the topic defaults, through the real Admin client: the log cleaner's
 * threads and backoff change the running cleaner, num.io.threads and num.replica.fetchers are stored and described,
 * thread counts follow Kafka's halve-or-double rule, and a lowered max.connections.per.ip.overrides closes new
 * connections from its address while those already admitted stay.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamicBrokerSettingsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");
    private static final String CLEANER_THREAD = "runnel-log-cleaner-";
    private static final String LIMITED_ADDRESS = "127.0.0.2";

    private RunnelCluster cluster;
    private Admin admin;
    private ConfigResource thisBroker;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        // The cleaner first runs after its backoff: an hour, unless the backoff is changed at run time.
        cluster = shape().builder()
                .brokerProperty("log.cleaner.backoff.ms", "3600000")
                .brokerProperty("log.segment.bytes", "1024")
                .brokerProperty("log.cleaner.dedupe.buffer.size", Integer.toString(1 << 20))
                .start();
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

    @Test
    void cleanerThreadsChangeTheRunningCleaner() {
        ConfigEntry initial = describe(thisBroker).get("log.cleaner.threads");
        assertEquals("1", initial.value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, initial.source());
        assertFalse(initial.isReadOnly());
        Await.awaitCondition(WAIT, () -> cleanerThreads() == 1, "one log cleaner thread");

        alter(thisBroker, op("log.cleaner.threads", "2", AlterConfigOp.OpType.SET));
        awaitSource(thisBroker, "log.cleaner.threads", ConfigSource.DYNAMIC_BROKER_CONFIG);
        ConfigEntry perBroker = describe(thisBroker).get("log.cleaner.threads");
        assertEquals("2", perBroker.value());
        assertEquals(ConfigSource.DYNAMIC_BROKER_CONFIG, perBroker.source());
        Await.awaitCondition(WAIT, () -> cleanerThreads() == 2, "two log cleaner threads");

        InvalidRequestException tooMany = assertFailsWith(InvalidRequestException.class, admin.incrementalAlterConfigs(
                Map.of(thisBroker, List.of(op("log.cleaner.threads", "5", AlterConfigOp.OpType.SET)))).all());
        assertTrue(tooMany.getMessage().contains("Log cleaner threads cannot be increased to more than double the "
                + "current value 2"), tooMany.getMessage());
        assertEquals("2", describe(thisBroker).get("log.cleaner.threads").value());

        alter(thisBroker, op("log.cleaner.threads", null, AlterConfigOp.OpType.DELETE));
        awaitSource(thisBroker, "log.cleaner.threads", ConfigSource.DEFAULT_CONFIG);
        Await.awaitCondition(WAIT, () -> cleanerThreads() == 1, "back to one log cleaner thread");
    }

    @Test
    void threadCountsWithoutAPoolAreStoredAndDescribed() {
        alter(CLUSTER_DEFAULT, op("num.io.threads", "16", AlterConfigOp.OpType.SET),
                op("num.replica.fetchers", "2", AlterConfigOp.OpType.SET));
        try {
            awaitSource(thisBroker, "num.replica.fetchers", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            Config broker = describe(thisBroker);
            assertEquals("16", broker.get("num.io.threads").value());
            assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, broker.get("num.io.threads").source());
            assertEquals("2", broker.get("num.replica.fetchers").value());
            assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, broker.get("num.replica.fetchers").source());
            // The cluster default is described by whichever broker Admin asks, whose metadata may trail this one's.
            Await.awaitCondition(WAIT, () -> describe(CLUSTER_DEFAULT).get("num.io.threads") != null,
                    "num.io.threads in the cluster default");
            Config defaults = describe(CLUSTER_DEFAULT);
            assertEquals("16", defaults.get("num.io.threads").value());
            assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, defaults.get("num.io.threads").source());

            InvalidRequestException doubled = assertFailsWith(InvalidRequestException.class,
                    admin.incrementalAlterConfigs(Map.of(CLUSTER_DEFAULT,
                            List.of(op("num.io.threads", "33", AlterConfigOp.OpType.SET)))).all());
            assertTrue(doubled.getMessage().contains("num.io.threads=33, value should not be greater than double the "
                    + "current value 16"), doubled.getMessage());
        } finally {
            alter(CLUSTER_DEFAULT, op("num.io.threads", null, AlterConfigOp.OpType.DELETE),
                    op("num.replica.fetchers", null, AlterConfigOp.OpType.DELETE));
        }
        awaitSource(thisBroker, "num.io.threads", ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void aShorterCleanerBackoffCompactsWithoutRestart() {
        String topic = "compacted-after-backoff-change";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            get(admin.createTopics(List.of(new NewTopic(topic, 1, shape().replicationFactor()).configs(Map.of(
                    "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01")))).all());
            for (String[] kv : new String[][] {{"a", "1"}, {"b", "1"}, {"a", "2"}, {"b", "2"}}) {
                get(producer.send(new ProducerRecord<>(topic, 0, utf8(kv[0]), utf8(kv[1]))));
            }
            // too large for the rest of the 1024-byte segment: the segment holding offsets 0 to 3 is closed
            get(producer.send(new ProducerRecord<>(topic, 0, utf8("filler"), utf8("f".repeat(900)))));
        }
        alter(CLUSTER_DEFAULT, op("log.cleaner.backoff.ms", "100", AlterConfigOp.OpType.SET));
        try {
            for (int node : cluster.nodeIds()) {
                awaitSource(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(node)),
                        "log.cleaner.backoff.ms", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
            }
            Await.awaitCondition(WAIT, () -> offsetsAndKeys(tp).equals(List.of("2:a", "3:b", "4:filler")),
                    "the cleaner, started an hour from now, compacts once its backoff is 100 ms");
        } finally {
            alter(CLUSTER_DEFAULT, op("log.cleaner.backoff.ms", null, AlterConfigOp.OpType.DELETE));
        }
    }

    @Test
    void aLoweredPerIpOverrideClosesNewConnectionsFromThatAddress() throws Exception {
        String overrides = "max.connections.per.ip.overrides";
        InvalidRequestException zero = assertFailsWith(InvalidRequestException.class, admin.incrementalAlterConfigs(
                Map.of(thisBroker, List.of(op("max.connections.per.ip", "0", AlterConfigOp.OpType.SET)))).all());
        assertTrue(zero.getMessage().contains("can be set to zero only if " + overrides + " is set"), zero.getMessage());

        List<ApiConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ApiConnection served = servedConnection();
                assertNotNull(served, "connection " + i + " from " + LIMITED_ADDRESS + " before the change");
                open.add(served);
            }
            alter(thisBroker, op(overrides, LIMITED_ADDRESS + ":2", AlterConfigOp.OpType.SET));
            // Until the broker applies the new limit, a fourth connection is served (and closed here again).
            Await.awaitCondition(WAIT, () -> servedAndClosed() == null,
                    "a fourth connection from " + LIMITED_ADDRESS + " closed by the broker");
            ConfigEntry perBroker = describe(thisBroker).get(overrides);
            assertEquals(LIMITED_ADDRESS + ":2", perBroker.value());
            assertEquals(ConfigSource.DYNAMIC_BROKER_CONFIG, perBroker.source());
            for (ApiConnection existing : open) {
                existing.send(new ApiVersionsRequestData(), (short) 0); // admitted before: still served, as in Kafka
            }

            InvalidConfigurationException negative = assertFailsWith(InvalidConfigurationException.class,
                    admin.incrementalAlterConfigs(Map.of(thisBroker, List.of(
                            op(overrides, LIMITED_ADDRESS + ":-1", AlterConfigOp.OpType.SET)))).all());
            assertTrue(negative.getMessage().contains(overrides), negative.getMessage());

            // A raised cluster default, once the broker's own value is gone, lets a fourth connection in.
            alter(CLUSTER_DEFAULT, op(overrides, LIMITED_ADDRESS + ":4", AlterConfigOp.OpType.SET));
            alter(thisBroker, op(overrides, null, AlterConfigOp.OpType.DELETE));
            Await.awaitCondition(WAIT, () -> {
                ApiConnection served = servedOrNull();
                return served != null && open.add(served);
            }, "a fourth connection from " + LIMITED_ADDRESS + " served under the raised default");
            assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, describe(thisBroker).get(overrides).source());
        } finally {
            for (ApiConnection connection : open) {
                connection.close();
            }
            alter(CLUSTER_DEFAULT, op(overrides, null, AlterConfigOp.OpType.DELETE));
            alter(thisBroker, op(overrides, null, AlterConfigOp.OpType.DELETE));
        }
    }

    /** A connection from {@link #LIMITED_ADDRESS} that the broker answered, or null if the broker closed it. */
    private ApiConnection servedConnection() throws IOException {
        ApiConnection connection = new ApiConnection(cluster.node(thisBrokerId()).bootstrapServers(),
                InetAddress.getByName(LIMITED_ADDRESS), "limited-address");
        try {
            connection.send(new ApiVersionsRequestData(), (short) 0);
            return connection;
        } catch (EOFException | SocketException closedByBroker) {
            connection.close();
            return null;
        }
    }

    private ApiConnection servedOrNull() {
        try {
            return servedConnection();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Null if the broker closed a new connection from {@link #LIMITED_ADDRESS}; else that connection, closed. */
    private ApiConnection servedAndClosed() {
        ApiConnection served = servedOrNull();
        if (served != null) {
            try {
                served.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return served;
    }

    /** The log cleaner threads of {@link #thisBroker}: the other nodes in this JVM keep their default one each. */
    private int cleanerThreads() {
        int otherNodes = cluster.nodeIds().size() - 1;
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(CLEANER_THREAD)).count() - otherNodes;
    }

    private int thisBrokerId() {
        return Integer.parseInt(thisBroker.name());
    }

    private List<String> offsetsAndKeys(TopicPartition tp) {
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            TopicReader.readAll(consumer, List.of(tp), WAIT,
                    r -> records.add(r.offset() + ":" + new String(r.key(), StandardCharsets.UTF_8)));
        }
        return records;
    }

    private void awaitSource(ConfigResource resource, String key, ConfigSource source) {
        Await.awaitCondition(WAIT, () -> describe(resource).get(key).source() == source, key + " from " + source);
    }

    private Config describe(ConfigResource resource) {
        return get(admin.describeConfigs(List.of(resource)).all()).get(resource);
    }

    private void alter(ConfigResource resource, AlterConfigOp... ops) {
        get(admin.incrementalAlterConfigs(Map.of(resource, List.<AlterConfigOp>of(ops))).all());
    }

    private static AlterConfigOp op(String key, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(key, value), type);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
