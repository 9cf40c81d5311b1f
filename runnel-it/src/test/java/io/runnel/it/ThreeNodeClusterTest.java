package io.runnel.it;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three in-process nodes, each broker and controller: every node serves Metadata, Admin and auto-creation. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ThreeNodeClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().nodes(3).brokerProperty("auto.create.topics.enable", "true")
                .brokerProperty("default.replication.factor", "3").start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyNodeListsTheSameBrokersAndActiveController() {
        Set<Integer> controllers = new HashSet<>();
        for (int id : cluster.nodeIds()) {
            try (Admin admin = cluster.node(id).admin()) {
                DescribeClusterResult described = admin.describeCluster();
                assertEquals(Set.of(1, 2, 3), get(described.nodes()).stream().map(Node::id)
                        .collect(Collectors.toSet()), "node " + id);
                assertEquals(cluster.clusterId(), get(described.clusterId()));
                controllers.add(get(described.controller()).id());
            }
        }
        assertEquals(1, controllers.size(), "every node names the same active controller: " + controllers);
        assertTrue(Set.of(1, 2, 3).containsAll(controllers));
    }

    @Test
    void topicsCreatedThroughAnyNodeAreReplicatedThreeTimesWithLeadersSpread() {
        for (int id : cluster.nodeIds()) {
            String topic = "through-node-" + id;
            try (Admin admin = cluster.node(id).admin()) {
                get(admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all());
            }
            for (int other : cluster.nodeIds()) {
                try (Admin admin = cluster.node(other).admin()) {
                    TopicDescription description = awaitDescribed(admin, topic);
                    Set<Integer> leaders = new HashSet<>();
                    for (TopicPartitionInfo p : description.partitions()) {
                        assertEquals(3, p.replicas().size(), topic + " seen from node " + other);
                        assertEquals(3, p.isr().size());
                        assertEquals(p.replicas().get(0), p.leader(), "the preferred leader is the first replica");
                        leaders.add(p.leader().id());
                    }
                    assertEquals(Set.of(1, 2, 3), leaders, "one leader per broker for three partitions");
                }
            }
        }
    }

    @Test
    void everyNodeAnswersDescribeQuorumWithTheLeadersView() {
        for (int id : cluster.nodeIds()) {
            try (Admin admin = cluster.node(id).admin()) {
                QuorumInfo quorum = get(admin.describeMetadataQuorum().quorumInfo());
                assertEquals(get(admin.describeCluster().controller()).id(), quorum.leaderId(), "node " + id);
                assertEquals(Set.of(1, 2, 3), quorum.voters().stream().map(QuorumInfo.ReplicaState::replicaId)
                        .collect(Collectors.toSet()));
                assertTrue(quorum.highWatermark() > 0);
                assertTrue(quorum.leaderEpoch() > 0);
                QuorumInfo.ReplicaState leader = quorum.voters().stream()
                        .filter(v -> v.replicaId() == quorum.leaderId()).findFirst().orElseThrow();
                assertTrue(leader.logEndOffset() >= quorum.highWatermark());
                assertTrue(quorum.voters().stream().allMatch(v -> v.lastFetchTimestamp().isPresent()));
                assertEquals(Set.of(1, 2, 3), quorum.nodes().keySet(), "v2 lists the voters' controller endpoints");
                assertTrue(quorum.observers().isEmpty());
            }
        }
    }

    @Test
    void tooFewBrokersForTheReplicationFactorIsRefusedOnEveryNode() {
        for (int id : cluster.nodeIds()) {
            try (Admin admin = cluster.node(id).admin()) {
                Futures.assertFailsWith(InvalidReplicationFactorException.class,
                        admin.createTopics(List.of(new NewTopic("rf4-" + id, 1, (short) 4))).all());
            }
        }
    }

    @Test
    void metadataRequestsAutoCreateTopicsThroughAnyNode() {
        for (int id : cluster.nodeIds()) {
            String topic = "auto-" + id;
            try (KafkaProducer<byte[], byte[]> producer = cluster.node(id).producer(new Properties())) {
                Await.awaitCondition(WAIT, () -> !producer.partitionsFor(topic).isEmpty(), topic + " created");
            }
            try (Admin admin = cluster.node(id).admin()) {
                TopicDescription description = awaitDescribed(admin, topic);
                assertEquals(3, description.partitions().get(0).replicas().size(), "default.replication.factor");
            }
        }
    }

    /** The topic as {@code admin}'s node describes it, once that node has applied its creation. */
    private static TopicDescription awaitDescribed(Admin admin, String topic) {
        AtomicReference<TopicDescription> described = new AtomicReference<>();
        Await.awaitCondition(WAIT, () -> {
            try {
                described.set(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic));
                return described.get().partitions().stream().allMatch(p -> p.leader() != null);
            } catch (ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, topic + " described with leaders");
        return described.get();
    }
}
