package io.runnel.it;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Five nodes in their own JVMs from per-node files: three voters and two {@code process.roles=broker} nodes, which
 * follow the metadata log as non-voting members and are brokers like any other; and five voters, which outlive two.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class FiveNodeClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String COMBINED = "broker,controller";

    private RunnelProcessCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void brokerOnlyNodesLeadFollowAndServeClientsAndTheClusterOutlivesAVoterAndABrokerOnlyNode() throws Exception {
        cluster = RunnelProcessCluster.start(List.of(COMBINED, COMBINED, COMBINED, "broker", "broker"),
                Map.of("broker.session.timeout.ms", "6000"));
        awaitBrokers(4, Set.of(1, 2, 3, 4, 5));
        try (Admin admin = cluster.node(4).admin()) {
            QuorumInfo quorum = get(admin.describeMetadataQuorum().quorumInfo());
            assertEquals(Set.of(1, 2, 3), ids(quorum.voters()));
            assertEquals(Set.of(4, 5), ids(quorum.observers()), "the broker-only nodes are observers");
            get(admin.createTopics(List.of(new NewTopic("spread", 10, (short) 3))).all());
        }
        String otherClusterId = Uuid.randomUuid().toString();
        RunnelProcess stranger = cluster.spawn("broker", otherClusterId, Map.of());
        Await.awaitCondition(WAIT, stranger::exited, "a node formatted for another cluster stops");
        assertTrue(stranger.output().contains("were formatted for cluster id " + cluster.clusterId()
                + ", but this node for cluster id " + otherClusterId), stranger.output());

        // Kafka 3.9's way for a broker to find the quorum: the voters' addresses only, no voter list.
        RunnelProcess bootstrapped = cluster.spawn("broker", cluster.clusterId(), Map.of(
                "controller.quorum.voters", "", "controller.quorum.bootstrap.servers",
                cluster.controllerBootstrapServers()));
        Await.awaitCondition(WAIT, () -> bootstrapped.started() || bootstrapped.exited(), "node 7 starts");
        bootstrapped.requireStarted();
        awaitBrokers(4, Set.of(1, 2, 3, 4, 5, 7));
        try (Admin admin = bootstrapped.admin()) {
            assertEquals(Set.of(4, 5, 7), ids(get(admin.describeMetadataQuorum().quorumInfo()).observers()));
        }
        bootstrapped.close();
        for (int id = 1; id <= 5; id++) {
            try (Admin admin = cluster.node(id).admin()) {
                TopicDescription spread = awaitFullIsr(admin, "spread", 10);
                Set<Integer> leaders = new HashSet<>();
                for (TopicPartitionInfo p : spread.partitions()) {
                    leaders.add(p.leader().id());
                }
                assertEquals(Set.of(1, 2, 3, 4, 5), leaders, "seen from node " + id);
            }
        }
        int written = 0;
        for (int id = 1; id <= 5; id++) {
            written += produce(cluster.node(id), "spread", 20, "through-" + id);
            assertEquals(written, readAll(cluster.node(id), "spread", 10), "read through node " + id);
        }

        // A majority of the three voters remains; broker 5's and voter 3's partitions move to the others.
        cluster.node(3).kill9();
        cluster.node(5).kill9();
        awaitBrokers(4, Set.of(1, 2, 4));
        written += produce(cluster.node(4), "spread", 20, "after-kill");
        assertEquals(written, readAll(cluster.node(4), "spread", 10));
        try (Admin admin = cluster.node(4).admin()) {
            get(admin.createTopics(List.of(new NewTopic("after-kill", 3, (short) 3))).all());
            awaitFullIsr(admin, "after-kill", 3);
        }
        assertEquals(30, produce(cluster.node(1), "after-kill", 30, "new-topic"));
        assertEquals(30, readAll(cluster.node(2), "after-kill", 3));
    }

    @Test
    void fiveVotersOutliveTheLossOfTwoOfThemTheActiveControllerFirst() throws Exception {
        cluster = RunnelProcessCluster.start(5, Map.of("broker.session.timeout.ms", "6000"));
        awaitBrokers(1, Set.of(1, 2, 3, 4, 5));
        int active;
        try (Admin admin = cluster.node(1).admin()) {
            assertEquals(Set.of(1, 2, 3, 4, 5), ids(get(admin.describeMetadataQuorum().quorumInfo()).voters()));
            get(admin.createTopics(List.of(new NewTopic("before", 5, (short) 3))).all());
            awaitFullIsr(admin, "before", 5);
            active = ClusterAdmin.activeController(admin, WAIT);
        }
        int written = produce(cluster.node(1), "before", 20, "five");

        int other = active % 5 + 1;
        cluster.node(active).kill9();
        cluster.node(other).kill9();
        Set<Integer> survivors = new HashSet<>(Set.of(1, 2, 3, 4, 5));
        survivors.removeAll(Set.of(active, other));
        int through = survivors.iterator().next();
        awaitBrokers(through, survivors);
        try (Admin admin = cluster.node(through).admin()) {
            int elected = ClusterAdmin.activeController(admin, WAIT);
            assertTrue(survivors.contains(elected), "controller " + elected + " is one of " + survivors);
            get(admin.createTopics(List.of(new NewTopic("after", 3, (short) 3))).all());
            TopicDescription after = awaitFullIsr(admin, "after", 3);
            for (TopicPartitionInfo p : after.partitions()) {
                assertEquals(survivors, p.replicas().stream().map(Node::id).collect(Collectors.toSet()));
            }
        }
        written += produce(cluster.node(through), "before", 20, "three");
        assertEquals(written, readAll(cluster.node(through), "before", 5));
        assertEquals(30, produce(cluster.node(through), "after", 30, "new-topic"));
        assertEquals(30, readAll(cluster.node(through), "after", 3));
    }

    private static Set<Integer> ids(List<QuorumInfo.ReplicaState> replicas) {
        return replicas.stream().map(QuorumInfo.ReplicaState::replicaId).collect(Collectors.toSet());
    }

    /** Waits until node {@code through} lists exactly {@code brokers} (fenced brokers are not listed). */
    private void awaitBrokers(int through, Set<Integer> brokers) {
        try (Admin admin = cluster.node(through).admin()) {
            Await.awaitCondition(WAIT, () -> {
                try {
                    return get(admin.describeCluster().nodes()).stream().map(Node::id).collect(Collectors.toSet())
                            .equals(brokers);
                } catch (RuntimeException e) {
                    return false;
                }
            }, "node " + through + " lists brokers " + brokers);
        }
    }

    private static TopicDescription awaitFullIsr(Admin admin, String topic, int partitions) {
        AtomicReference<TopicDescription> described = new AtomicReference<>();
        Await.awaitCondition(WAIT, () -> {
            try {
                described.set(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
            } catch (ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return described.get().partitions().size() == partitions && described.get().partitions().stream()
                    .allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size());
        }, topic + " has a leader and a full ISR on every partition");
        return described.get();
    }

    private static int produce(KafkaEndpoint node, String topic, int count, String prefix) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = node.producer(props)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, (prefix + "-" + i).getBytes(), new byte[] {1}))
                        .get(60, TimeUnit.SECONDS);
            }
        }
        return count;
    }

    private static long readAll(KafkaEndpoint node, String topic, int partitions) {
        try (KafkaConsumer<byte[], byte[]> consumer = node.consumer(new Properties())) {
            return TopicReader.readAll(consumer, TopicReader.partitions(topic, partitions), WAIT, r -> { });
        }
    }
}
