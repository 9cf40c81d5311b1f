package io.runnel.it.tools;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel reassign-partitions} with {@code log_dirs}, as kafka-reassign-partitions.sh is used on three nodes with
 * two log dirs each: one file moves the replica on node 1 to its other dir and the partition from node 2 to node 3,
 * into node 3's second dir (not the one node 3 would choose). --execute starts the reassignment, then the moves (node
 * 3's once its replica arrives); --verify reports both complete, and the partition's directories are where the file
 * says. With a throttle the move stays under way: --verify and log-dirs show it, and --cancel abandons it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReassignLogDirsToolTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "dir-moved";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    Path workDir;

    @Test
    void executeMovesReplicasBetweenLogDirsAndVerifyReportsThem() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().nodes(3).logDirsPerNode(2).start();
             Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(1, 2))))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[100]));
                }
                producer.flush();
            }
            Path node1From = cluster.logDirs(1).stream().filter(d -> Files.isDirectory(d.resolve(TOPIC + "-0")))
                    .findFirst().orElseThrow();
            String node1To = cluster.logDirs(1).stream().filter(d -> !d.equals(node1From)).findFirst().orElseThrow()
                    .toAbsolutePath().toString();
            String node3To = cluster.logDirs(3).get(1).toAbsolutePath().toString();
            Path move = Files.writeString(workDir.resolve("move.json"), "{\"version\":1,\"partitions\":[{\"topic\":\""
                    + TOPIC + "\",\"partition\":0,\"replicas\":[1,3],\"log_dirs\":[\"" + node1To + "\",\"" + node3To
                    + "\"]}]}");
            RunnelCli cli = new RunnelCli(workDir);
            String bootstrap = cluster.bootstrapServers();

            RunnelCli.Result executed = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--execute");
            assertEquals(0, executed.exitCode(), executed.toString());
            assertTrue(executed.out().endsWith("Successfully started partition reassignment for " + TP + "\n"
                    + "Successfully started moving log directory to " + node1To + " for replica " + TP
                    + " with broker 1 \n"
                    + "Successfully started moving log directory to " + node3To + " for replica " + TP
                    + " with broker 3 \n"), executed.out());

            TopicPartitionReplica on1 = new TopicPartitionReplica(TOPIC, 0, 1);
            TopicPartitionReplica on3 = new TopicPartitionReplica(TOPIC, 0, 3);
            awaitCondition(WAIT, () -> livesIn(admin, on1, node1To) && livesIn(admin, on3, node3To)
                    && Futures.get(admin.listPartitionReassignments().reassignments()).isEmpty(),
                    "both replicas live in the dirs of the file and the reassignment is over");
            RunnelCli.Result verified = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--verify");
            assertEquals("Status of partition reassignment:\nReassignment of partition " + TP + " is completed.\n"
                    + "Reassignment of replica " + on1 + " completed successfully.\n"
                    + "Reassignment of replica " + on3 + " completed successfully.\n"
                    + "Clearing broker-level throttles on brokers 1,2,3\n"
                    + "Clearing topic-level throttles on topic " + TOPIC + "\n", verified.out(), verified.toString());
            assertTrue(Files.isDirectory(Path.of(node1To, TOPIC + "-0")), "node 1's replica moved");
            assertTrue(!Files.exists(node1From.resolve(TOPIC + "-0")), "and left " + node1From);
            assertTrue(Files.isDirectory(Path.of(node3To, TOPIC + "-0")), "node 3's replica is in the dir asked for");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[100])).get();
            }
            awaitCondition(WAIT, () -> Futures.get(admin.describeTopics(List.of(TOPIC)).allTopicNames()).get(TOPIC)
                    .partitions().get(0).isr().size() == 2, "both replicas, moved ones included, in the ISR");
        }
    }

    @Test
    void aThrottledMoveIsInProgressForVerifyAndLogDirsUntilCancelled() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().nodes(1).logDirsPerNode(2).start();
             Admin admin = cluster.admin()) {
            int broker = cluster.nodeIds().get(0);
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(broker))))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                // 3 MB: more than the one copy of at most 1 MiB that a throttle of 1 B/s lets through
                for (int i = 0; i < 3000; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[1000]));
                }
                producer.flush();
            }
            String from = cluster.logDirs(broker).stream().filter(d -> Files.isDirectory(d.resolve(TOPIC + "-0")))
                    .findFirst().orElseThrow().toAbsolutePath().toString();
            String to = cluster.logDirs(broker).stream().map(d -> d.toAbsolutePath().toString())
                    .filter(d -> !d.equals(from)).findFirst().orElseThrow();
            Path move = Files.writeString(workDir.resolve("throttled.json"), "{\"version\":1,\"partitions\":[{\"topic\":\""
                    + TOPIC + "\",\"partition\":0,\"replicas\":[" + broker + "],\"log_dirs\":[\"" + to + "\"]}]}");
            RunnelCli cli = new RunnelCli(workDir);
            String bootstrap = cluster.bootstrapServers();
            TopicPartitionReplica replica = new TopicPartitionReplica(TOPIC, 0, broker);

            RunnelCli.Result executed = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--execute", "--replica-alter-log-dirs-throttle", "1");
            assertEquals(0, executed.exitCode(), executed.toString());
            assertTrue(executed.out().endsWith("The replica-alter-dir throttle limit was set to 1 B/s\n"
                    + "Successfully started partition reassignment for " + TP + "\n"
                    + "Successfully started moving log directory to " + to + " for replica " + TP + " with broker "
                    + broker + " \n"), executed.out());

            RunnelCli.Result inProgress = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--verify");
            assertEquals("Status of partition reassignment:\nReassignment of partition " + TP + " is completed.\n"
                    + "Reassignment of replica " + replica + " is still in progress.\n", inProgress.out(),
                    inProgress.toString());
            RunnelCli.Result described = cli.run("", "log-dirs", "--bootstrap-server", bootstrap, "--describe",
                    "--topic-list", TOPIC);
            assertTrue(Pattern.compile(Pattern.quote("{\"partitions\":[{\"partition\":\"" + TP + "\",\"size\":")
                    + "\\d+,\"offsetLag\":[1-9]\\d*,\"isFuture\":true}],\"error\":null,\"logDir\":"
                    + Pattern.quote("\"" + to + "\"}")).matcher(described.out()).find(),
                    "the copy is a future replica with an offset lag: " + described.out());

            RunnelCli.Result cancelled = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--cancel");
            assertEquals(0, cancelled.exitCode(), cancelled.toString());
            assertEquals("None of the specified partition reassignments are active.\n"
                    + "Successfully started moving log directory to " + from + " for replica " + TP + " with broker "
                    + broker + " \n"
                    + "Clearing broker-level throttles on broker " + broker + "\n"
                    + "Clearing topic-level throttles on topic " + TOPIC + "\n", cancelled.out());
            awaitCondition(WAIT, () -> livesIn(admin, replica, from), "the move was abandoned");
            assertTrue(Files.isDirectory(Path.of(from, TOPIC + "-0")), "the partition stayed in " + from);
            try (var names = Files.list(Path.of(to))) {
                assertTrue(names.noneMatch(n -> n.getFileName().toString().endsWith("-future")), "no copy is left");
            }
        }
    }

    private static boolean livesIn(Admin admin, TopicPartitionReplica replica, String dir) {
        ReplicaLogDirInfo info = Futures.get(admin.describeReplicaLogDirs(List.of(replica)).all()).get(replica);
        return dir.equals(info.getCurrentReplicaLogDir()) && info.getFutureReplicaLogDir() == null;
    }
}
