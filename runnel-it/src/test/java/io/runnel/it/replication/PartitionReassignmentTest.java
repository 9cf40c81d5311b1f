package io.runnel.it.replication;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.ClusterAdmin;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partition reassignment (KIP-455) on four in-process nodes, driven and judged through the real Admin client, producer
 * and consumer, and the replicas' logs on disk.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class PartitionReassignmentTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static RunnelCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().nodes(4).start();
        admin = ClusterAdmin.admin(cluster);
        awaitCondition(WAIT, () -> Futures.get(admin.describeCluster().nodes()).size() == 4, "four unfenced brokers");
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void createTopic(String name, List<Integer> replicas) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, Map.of(0, replicas)))).all().get();
        awaitCondition(WAIT, () -> {
            TopicPartitionInfo info = describe(name);
            return info != null && info.isr().size() == replicas.size();
        }, name + " has a full ISR");
    }

    private static void reassign(String topic, List<Integer> target) {
        Futures.get(reassignment(topic, target));
    }

    private static Map<TopicPartition, PartitionReassignment> inProgress() {
        return Futures.get(admin.listPartitionReassignments().reassignments());
    }

    /** The content of node's replica below the high watermark. */
    private static ReplicaLogs.Content replicaContent(int node, String topic, long highWatermark) {
        try {
            return ReplicaLogs.below(cluster.logDir(node), topic, 0, highWatermark);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Partition 0 of the topic, or null while the node asked does not know the topic. */
    private static TopicPartitionInfo describe(String topic) {
        TopicDescription description = ClusterAdmin.describeOrNull(admin, topic);
        return description == null ? null : description.partitions().get(0);
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    /** Waits until the partition's replicas are exactly {@code replicas}, all in the ISR, with nothing in progress. */
    private static void awaitCompleted(String topic, List<Integer> replicas) {
        awaitCondition(WAIT, () -> {
            TopicPartitionInfo info = describe(topic);
            return info != null && ids(info.replicas()).equals(replicas)
                    && new HashSet<>(ids(info.isr())).equals(new HashSet<>(replicas))
                    && !inProgress().containsKey(new TopicPartition(topic, 0));
        }, topic + " reassigned to " + replicas);
    }

    private static void awaitLogDeleted(int node, String topic) {
        awaitCondition(WAIT, () -> !Files.exists(cluster.logDir(node).resolve(topic + "-0")),
                "node " + node + " deleted its replica of " + topic);
    }

    @Test
    void aPartitionMovesToOtherBrokersWhileAnAcksAllProducerWritesAndLosesNothing() throws Exception {
        String topic = "moved";
        createTopic(topic, List.of(1, 2));
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            Thread writer = new Thread(() -> {
                for (int i = 0; writing.get(); i++) {
                    String value = "v" + i;
                    producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.add(value);
                        }
                    });
                    if (i % 100 == 99) {
                        producer.flush();
                    }
                }
                producer.flush();
            }, "reassignment-writer");
            writer.start();
            try {
                awaitCondition(WAIT, () -> acknowledged.size() >= 2000, "records written before the move");
                reassign(topic, List.of(2, 3));
                awaitCompleted(topic, List.of(2, 3));
                int written = acknowledged.size();
                awaitCondition(WAIT, () -> acknowledged.size() >= written + 1000, "records written after the move");
            } finally {
                writing.set(false);
                writer.join(WAIT.toMillis());
            }
        }

        awaitLogDeleted(1, topic);
        TopicPartition tp = new TopicPartition(topic, 0);
        long highWatermark = cluster.server(2).replicaManager().leaderPartition(tp) != null
                ? cluster.server(2).replicaManager().leaderPartition(tp).log().highWatermark()
                : cluster.server(3).replicaManager().leaderPartition(tp).log().highWatermark();
        assertTrue(highWatermark >= acknowledged.size(), "every acknowledged record is below the high watermark");
        awaitCondition(WAIT, () -> {
            ReplicaLogs.Content leader = replicaContent(2, topic, highWatermark);
            return leader.size() > 0 && leader.equals(replicaContent(3, topic, highWatermark));
        }, "node 3's replica holds the same batches as node 2's");

        List<String> read = new ArrayList<>();
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            awaitCondition(WAIT, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                return consumer.position(tp) >= end;
            }, "reading " + topic);
        }
        Set<String> distinct = new HashSet<>(read);
        assertEquals(read.size(), distinct.size(), "no record is read twice");
        assertTrue(distinct.containsAll(acknowledged), "every acknowledged record is read");
    }

    @Test
    void theReplicationFactorGrowsFromOneToThreeAndShrinksToTwo() throws Exception {
        String topic = "resized";
        createTopic(topic, List.of(1));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(topic, "v" + i));
            }
            producer.flush();
        }
        reassign(topic, List.of(1, 2, 3));
        awaitCompleted(topic, List.of(1, 2, 3));
        long highWatermark = cluster.server(1).replicaManager().leaderPartition(new TopicPartition(topic, 0)).log()
                .highWatermark();
        assertEquals(500, highWatermark);
        assertEquals(replicaContent(1, topic, highWatermark), replicaContent(3, topic, highWatermark),
                "the added replica caught up before the reassignment completed");

        reassign(topic, List.of(2, 3));
        awaitCompleted(topic, List.of(2, 3));
        // Each describe may reach another broker, whose metadata can trail the one that answered above.
        awaitCondition(WAIT, () -> {
            TopicPartitionInfo info = describe(topic);
            return info != null && info.leader() != null && info.leader().id() == 2;
        }, "leadership left the removed broker");
        awaitLogDeleted(1, topic);
    }

    @Test
    void aReassignmentInProgressIsListedAndCancellingRevertsIt() throws Exception {
        String topic = "cancelled";
        createTopic(topic, List.of(1, 2));
        TopicPartition tp = new TopicPartition(topic, 0);
        cluster.server(4).replicaManager().pauseFollowerFetching(true);
        try {
            reassign(topic, List.of(1, 4));
            awaitCondition(WAIT, () -> inProgress().containsKey(tp), "the reassignment is listed");
            PartitionReassignment moving = inProgress().get(tp);
            assertEquals(List.of(1, 4, 2), moving.replicas());
            assertEquals(List.of(4), moving.addingReplicas());
            assertEquals(List.of(2), moving.removingReplicas());
            awaitCondition(WAIT, () -> {
                TopicPartitionInfo info = describe(topic);
                return info != null && ids(info.replicas()).equals(List.of(1, 4, 2));
            }, "Metadata shows every replica during the move");

            admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).all().get();
            awaitCompleted(topic, List.of(1, 2));
            awaitLogDeleted(4, topic);
        } finally {
            cluster.server(4).replicaManager().pauseFollowerFetching(false);
        }
        Futures.assertFailsWith(NoReassignmentInProgressException.class,
                admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).all());
    }

    @Test
    void aReassignmentInProgressSurvivesAControllerFailover() throws Exception {
        int controller = ClusterAdmin.activeController(admin, WAIT);
        List<Integer> others = cluster.nodeIds().stream().filter(n -> n != controller).toList();
        String topic = "failed-over";
        createTopic(topic, List.of(others.get(0), others.get(1)));
        TopicPartition tp = new TopicPartition(topic, 0);
        int added = others.get(2);
        cluster.server(added).replicaManager().pauseFollowerFetching(true);
        try {
            reassign(topic, List.of(others.get(0), added));
            awaitCondition(WAIT, () -> inProgress().containsKey(tp), "the reassignment is listed");
            cluster.stop(controller);
            awaitCondition(WAIT, () -> ClusterAdmin.activeController(admin, WAIT) != controller,
                    "another node is the active controller");
            assertEquals(List.of(added), inProgress().get(tp).addingReplicas(), "the new controller knows the move");
        } finally {
            cluster.server(added).replicaManager().pauseFollowerFetching(false);
        }
        awaitCompleted(topic, List.of(others.get(0), added));
        cluster.start(controller);
        awaitCondition(WAIT, () -> Futures.get(admin.describeCluster().nodes()).size() == 4, "four unfenced brokers");
    }

    /** (Admin refuses an empty target itself; the controller's answer to one is checked in runnel-metadata.) */
    @Test
    void badReassignmentsGetKafkasErrors() throws Exception {
        String topic = "refused";
        createTopic(topic, List.of(1, 2));
        Futures.assertFailsWith(UnknownTopicOrPartitionException.class, reassignment("absent-topic", List.of(1)));
        Futures.assertFailsWith(InvalidReplicaAssignmentException.class, reassignment(topic, List.of(2, 2)));
        Futures.assertFailsWith(InvalidReplicaAssignmentException.class, reassignment(topic, List.of(1, 99)));
        assertEquals(List.of(1, 2), ids(describe(topic).replicas()));
    }

    private static KafkaFuture<Void> reassignment(String topic, List<Integer> target) {
        return admin.alterPartitionReassignments(Map.of(new TopicPartition(topic, 0),
                Optional.of(new NewPartitionReassignment(target)))).all();
    }
}
