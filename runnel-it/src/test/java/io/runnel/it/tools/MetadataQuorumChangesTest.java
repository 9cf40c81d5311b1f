package io.runnel.it.tools;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.RunnelProcess;
import io.runnel.it.RunnelProcessCluster;
import io.runnel.it.TopicReader;
import io.runnel.storage.MetaProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel metadata-quorum add-controller | remove-controller} on three combined nodes while a producer
 * writes with {@code acks=all}: a fourth, controller-only node joins through {@code controller.quorum.bootstrap.servers}
 * and is added as a voter, then the three original voters are removed (each restarted to follow the log as an
 * observer, and serving as a broker throughout) until the new controller alone leads the quorum, and a broker dies.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MetadataQuorumChangesTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPIC = "through-quorum-changes";

    @TempDir
    Path workDir;

    @Test
    void aControllerIsAddedAndTheOriginalOnesRemovedWhileClientsRun() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3, Map.of("min.insync.replicas", "2"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            get(admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all());
            RunnelCli cli = new RunnelCli(workDir);
            String bootstrap = cluster.bootstrapServers();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong acknowledged = new AtomicLong();
            Thread producer = new Thread(() -> produceUntilStopped(bootstrap, producing, acknowledged), "producer");
            producer.start();

            RunnelProcess newcomer = cluster.spawn("controller", cluster.clusterId(), Map.of(
                    "controller.quorum.voters", "", "controller.quorum.bootstrap.servers",
                    cluster.controllerBootstrapServers()));
            Await.awaitCondition(WAIT, () -> newcomer.started() || newcomer.exited(), "controller 4 starts");
            assertTrue(newcomer.started(), "controller 4 started; see its output");
            Uuid newcomerDirectory = MetaProperties.read(newcomer.logDir()).orElseThrow().directoryId();
            // A node records its directory in the log once it follows it.
            Await.awaitCondition(WAIT, () -> Map.of(4, newcomerDirectory).equals(directories(quorum(admin)
                    .observers())), "controller 4 follows the log as an observer from its directory");

            RunnelCli.Result added = cli.run("", "metadata-quorum", "--bootstrap-server", bootstrap,
                    "--command-config", newcomer.propertiesFile().toString(), "add-controller");
            assertEquals(0, added.exitCode(), added.toString());
            assertTrue(added.out().matches("Added controller 4 with directory id " + newcomerDirectory
                    + " and endpoints: CONTROLLER://127\\.0\\.0\\.1:[0-9]+\n"), added.out());
            Map<Integer, Uuid> voterDirectories = new TreeMap<>(Map.of(4, newcomerDirectory));
            for (int id = 1; id <= 3; id++) {
                voterDirectories.put(id, MetaProperties.read(cluster.node(id).logDir()).orElseThrow().directoryId());
            }
            assertEquals(voterDirectories, directories(quorum(admin).voters()), "each voter's meta.properties'");
            RunnelCli.Result again = cli.run("", "metadata-quorum", "--bootstrap-server", bootstrap,
                    "--command-config", newcomer.propertiesFile().toString(), "add-controller");
            assertEquals(1, again.exitCode(), again.toString());
            assertTrue(again.err().contains("already a voter"), again.err());

            Uuid firstDirectory = voterDirectories.get(1);
            RunnelCli.Result otherDirectory = cli.run("", "metadata-quorum", "--bootstrap-server", bootstrap,
                    "remove-controller", "--controller-id", "1", "--controller-directory-id",
                    newcomerDirectory.toString());
            assertEquals(1, otherDirectory.exitCode(), otherDirectory.toString());
            assertTrue(otherDirectory.err().contains("votes from metadata directory " + firstDirectory),
                    otherDirectory.err());
            RunnelCli.Result removed = cli.run("", "metadata-quorum", "--bootstrap-server", bootstrap,
                    "remove-controller", "--controller-id", "1", "--controller-directory-id", firstDirectory.toString());
            assertEquals(0, removed.exitCode(), removed.toString());
            assertEquals("Removed  KRaft controller 1 with directory id " + firstDirectory + "\n", removed.out());
            assertEquals(Set.of(2, 3, 4), ids(quorum(admin).voters()));
            restartAsObserver(cluster.node(1), admin);

            // Down to controller 4 alone, which every broker then reaches as the active controller.
            for (int id = 2; id <= 3; id++) {
                Uuid directory = MetaProperties.read(cluster.node(id).logDir()).orElseThrow().directoryId();
                RunnelCli.Result next = cli.run("", "metadata-quorum", "--bootstrap-server", bootstrap,
                        "remove-controller", "-i", Integer.toString(id), "-d", directory.toString());
                assertEquals(0, next.exitCode(), next.toString());
                restartAsObserver(cluster.node(id), admin);
            }
            QuorumInfo alone = quorum(admin);
            assertEquals(Set.of(4), ids(alone.voters()));
            assertEquals(4, alone.leaderId());
            assertEquals(Set.of(1, 2, 3), ids(alone.observers()));
            get(admin.createTopics(List.of(new NewTopic("after-changes", 1, (short) 3))).all());
            cluster.node(2).kill9();
            long before = acknowledged.get();
            Await.awaitCondition(WAIT, () -> acknowledged.get() > before + 100,
                    "acks=all produce goes on through brokers 1 and 3");
            producing.set(false);
            producer.join();
            assertEquals(acknowledged.get(), readAll(bootstrap), "every acknowledged record is read back");
        }
    }

    /** A removed voter's Ratis server keeps its follower role until it restarts; restarted, it is a listener. */
    private static void restartAsObserver(RunnelProcess node, Admin admin) throws Exception {
        node.terminate();
        node.start();
        int id = node.nodeId();
        Await.awaitCondition(WAIT, () -> ids(quorum(admin).observers()).contains(id),
                "removed voter " + id + " follows the log as an observer");
    }

    private static QuorumInfo quorum(Admin admin) {
        return get(admin.describeMetadataQuorum().quorumInfo());
    }

    private static Map<Integer, Uuid> directories(List<QuorumInfo.ReplicaState> replicas) {
        return replicas.stream().collect(Collectors.toMap(QuorumInfo.ReplicaState::replicaId,
                QuorumInfo.ReplicaState::replicaDirectoryId));
    }

    private static Set<Integer> ids(List<QuorumInfo.ReplicaState> replicas) {
        return replicas.stream().map(QuorumInfo.ReplicaState::replicaId).collect(Collectors.toSet());
    }

    private static void produceUntilStopped(String bootstrap, AtomicBoolean producing, AtomicLong acknowledged) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            for (long i = 0; producing.get(); i++) {
                String value = Long.toString(i);
                producer.send(new ProducerRecord<>(TOPIC, value, value), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    }
                });
                if (i % 50 == 49) {
                    producer.flush();
                }
            }
            producer.flush();
        }
    }

    private static long readAll(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return TopicReader.readAll(consumer, TopicReader.partitions(TOPIC, 3), WAIT, consumed -> { });
        }
    }
}
