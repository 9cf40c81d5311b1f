package io.runnel.it.tools;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.ClusterAdmin;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel reassign-partitions} on three in-process nodes, as kafka-reassign-partitions.sh is used: --generate
 * proposes, --execute with a throttle low enough to hold the move back, --list and --verify report it in progress,
 * --cancel reverts it and removes the throttles; executed again without a throttle it completes, and --verify says so.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReassignPartitionsToolTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "tool-moved";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    /** More than one fetch's worth (replica.fetch.max.bytes, 1 MiB): a throttle of 1 B/s stops the copy part way. */
    private static final int RECORDS = 3000;
    private static final int RECORD_BYTES = 1000;

    @TempDir
    Path workDir;

    @Test
    void generateExecuteListVerifyCancelAsKafkasTool() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().nodes(3).start();
             Admin admin = ClusterAdmin.admin(cluster)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(1, 2))))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, new byte[RECORD_BYTES]));
                }
                producer.flush();
            }
            RunnelCli cli = new RunnelCli(workDir);
            String bootstrap = cluster.bootstrapServers();
            String current = "{\"version\":1,\"partitions\":[{\"topic\":\"" + TOPIC
                    + "\",\"partition\":0,\"replicas\":[1,2],\"log_dirs\":[\"any\",\"any\"]}]}";

            Path topics = Files.writeString(workDir.resolve("topics.json"),
                    "{\"topics\": [{\"topic\": \"" + TOPIC + "\"}], \"version\": 1}");
            RunnelCli.Result generated = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--topics-to-move-json-file", topics.toString(), "--broker-list", "2,3", "--generate");
            assertEquals(0, generated.exitCode(), generated.toString());
            Matcher proposal = Pattern.compile("Current partition replica assignment\n" + Pattern.quote(current)
                    + "\n\nProposed partition reassignment configuration\n\\{\"version\":1,\"partitions\":\\[\\{\"topic\":\""
                    + TOPIC + "\",\"partition\":0,\"replicas\":\\[(\\d),(\\d)],\"log_dirs\":\\[\"any\",\"any\"]}]}\n")
                    .matcher(generated.out());
            assertTrue(proposal.matches(), generated.out());
            assertEquals(Set.of("2", "3"), new HashSet<>(List.of(proposal.group(1), proposal.group(2))),
                    "the proposal uses brokers 2 and 3");

            Path move = Files.writeString(workDir.resolve("move.json"), "{\"version\":1,\"partitions\":[{\"topic\":\""
                    + TOPIC + "\",\"partition\":0,\"replicas\":[2,3],\"log_dirs\":[\"any\",\"any\"]}]}");
            RunnelCli.Result executed = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--execute", "--throttle", "1",
                    "--replica-alter-log-dirs-throttle", "1000");
            assertEquals(0, executed.exitCode(), executed.toString());
            assertEquals("Current partition replica assignment\n\n" + current + "\n\n"
                    + "Save this to use as the --reassignment-json-file option during rollback\n"
                    + "Warning: You must run --verify periodically, until the reassignment completes, to ensure the "
                    + "throttle is removed.\n"
                    + "The inter-broker throttle limit was set to 1 B/s\n"
                    + "The replica-alter-dir throttle limit was set to 1000 B/s\n"
                    + "Successfully started partition reassignment for " + TP + "\n", executed.out());
            assertEquals("0:1,0:2", topicConfig(admin, "leader.replication.throttled.replicas"));
            assertEquals("0:3", topicConfig(admin, "follower.replication.throttled.replicas"));

            // The throttle lets the first fetch through, then holds node 3 back: the move stays in progress.
            awaitCondition(WAIT, () -> logEnd(cluster, 3) > 0, "node 3 fetched its first bytes");
            long leaderEnd = cluster.server(1).replicaManager().leaderPartition(TP).log().logEndOffset();
            assertTrue(logEnd(cluster, 3) < leaderEnd, "the throttle holds node 3 back: " + logEnd(cluster, 3));
            RunnelCli.Result listed = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap, "--list");
            assertEquals("Current partition reassignments:\n" + TP + ": replicas: 2,3,1. adding: 3. removing: 1.\n",
                    listed.out(), listed.toString());
            RunnelCli.Result inProgress = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--verify");
            assertEquals("Status of partition reassignment:\nReassignment of partition " + TP
                    + " is still in progress.\n\n", inProgress.out(), inProgress.toString());

            RunnelCli.Result cancelled = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--cancel");
            assertEquals(0, cancelled.exitCode(), cancelled.toString());
            assertEquals("Successfully cancelled partition reassignment for: " + TP + "\n"
                    + "None of the specified partition moves are active.\n"
                    + "Clearing broker-level throttles on brokers 1,2,3\n"
                    + "Clearing topic-level throttles on topic " + TOPIC + "\n", cancelled.out());
            assertEquals(null, topicConfig(admin, "leader.replication.throttled.replicas"), "throttles removed");
            assertEquals(List.of(2, 1), replicas(admin),
                    "reverted as Kafka's controller reverts: the replicas of the move without those being added");

            RunnelCli.Result again = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--execute");
            assertEquals(0, again.exitCode(), again.toString());
            awaitCondition(WAIT, () -> Futures.get(admin.listPartitionReassignments().reassignments()).isEmpty(),
                    "the reassignment completes");
            RunnelCli.Result verified = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap,
                    "--reassignment-json-file", move.toString(), "--verify");
            assertEquals("Status of partition reassignment:\nReassignment of partition " + TP + " is completed.\n\n"
                    + "Clearing broker-level throttles on brokers 1,2,3\n"
                    + "Clearing topic-level throttles on topic " + TOPIC + "\n", verified.out(), verified.toString());
            assertEquals(List.of(2, 3), replicas(admin));
            RunnelCli.Result none = cli.run("", "reassign-partitions", "--bootstrap-server", bootstrap, "--list");
            assertEquals("No partition reassignments found.\n", none.out(), none.toString());
        }
    }

    /** The topic's override of {@code key}, or null without one. */
    private static String topicConfig(Admin admin, String key) throws ExecutionException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        ConfigEntry entry = config.get(key);
        return entry == null || entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG ? null : entry.value();
    }

    private static List<Integer> replicas(Admin admin) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().get(0).replicas()
                .stream().map(n -> n.id()).toList();
    }

    private static long logEnd(RunnelCluster cluster, int node) {
        try {
            return cluster.server(node).replicaManager().replicaPartition(TP).log().logEndOffset();
        } catch (RuntimeException notHostedYet) {
            return -1;
        }
    }
}
