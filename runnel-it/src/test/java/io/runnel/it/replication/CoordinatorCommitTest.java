package io.runnel.it.replication;

import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The group coordinator answers a change only once its records are committed on {@code __consumer_offsets} (three
 * replicas, one partition): with the coordinator's followers held back a commit waits and stays invisible, and after
 * the coordinator's node stops, the new coordinator serves every commit a client was told succeeded.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CoordinatorCommitTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final TopicPartition OFFSETS = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, 0);
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private static ThreeNodes nodes;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        // Long timeouts: a held-back write waits for its followers, and they stay in the ISR meanwhile.
        nodes = ThreeNodes.start("offsets.topic.num.partitions", "1", "offsets.topic.replication.factor", "3",
                "offsets.commit.timeout.ms", "120000", "replica.lag.time.max.ms", "120000");
        cluster = nodes.cluster;
        nodes.createTopic("t");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aCommitIsAnsweredAndVisibleOnlyOnceTheCoordinatorsFollowersHaveIt() throws Exception {
        try (Admin committer = cluster.admin(); Admin reader = cluster.admin()) {
            committer.alterConsumerGroupOffsets("held", Map.of(TP, new OffsetAndMetadata(5))).all().get();
            int coordinator = nodes.leaderOf(Topic.GROUP_METADATA_TOPIC_NAME);
            List<Integer> followers = others(coordinator);
            long appended = logEnd(coordinator);
            nodes.pauseFetching(followers, true);
            KafkaFuture<Void> commit;
            try {
                commit = committer.alterConsumerGroupOffsets("held", Map.of(TP, new OffsetAndMetadata(10))).all();
                awaitCondition(WAIT, () -> logEnd(coordinator) > appended, "the commit appended on the coordinator");
                assertEquals(5, committed(reader, "held"), "another client sees the earlier offset");
                assertFalse(commit.isDone(), "the commit is answered before the followers have it");
            } finally {
                nodes.pauseFetching(followers, false);
            }
            commit.get();
            assertEquals(10, committed(reader, "held"));
        }
    }

    /** A classic group's membership is written to the log (consumer groups keep theirs in memory only). */
    @Test
    void aClassicMemberThatJoinedIsDescribedAndListedOnlyOnceItsRecordsAreCommitted() throws Exception {
        String group = "joining";
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props);
             Admin describer = cluster.admin(); Admin reader = cluster.admin()) {
            consumer.subscribe(List.of(TP.topic()));
            committed(reader, group); // the first lookup of a group creates the offsets topic
            describer.describeCluster().nodes().get(); // the describer's own metadata, fetched before it describes
            int coordinator = nodes.leaderOf(Topic.GROUP_METADATA_TOPIC_NAME);
            awaitCondition(WAIT, () -> leads(coordinator), "node " + coordinator + " leads the offsets partition");
            List<Integer> followers = others(coordinator);
            long appended = logEnd(coordinator);
            nodes.pauseFetching(followers, true);
            KafkaFuture<ConsumerGroupDescription> described;
            KafkaFuture<Collection<GroupListing>> listed;
            try {
                awaitCondition(WAIT, () -> {
                    consumer.poll(Duration.ofMillis(100));
                    return logEnd(coordinator) > appended;
                }, "the member's join appended on the coordinator");
                described = describer.describeConsumerGroups(List.of(group)).describedGroups().get(group);
                listed = describer.listGroups().all();
                // OffsetFetch answers from committed offsets at once: after three of them one after another (each
                // with its coordinator lookup), a describe sent before them that did not wait would be answered.
                for (int i = 0; i < 3; i++) {
                    assertEquals(-1, committed(reader, group));
                }
                assertFalse(described.isDone(), "the group is described before its member's records are committed");
                assertFalse(listed.isDone(), "the groups are listed before the member's records are committed");
            } finally {
                nodes.pauseFetching(followers, false);
            }
            assertEquals(group, described.get().groupId());
            assertTrue(listed.get().stream().anyMatch(g -> g.groupId().equals(group)));
            awaitCondition(WAIT, () -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            }, group + " assigned");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void theNewCoordinatorServesEveryAcknowledgedCommit(String protocol) throws Exception {
        String group = "failover-" + protocol;
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props);
        int coordinator = -1;
        try {
            consumer.subscribe(List.of(TP.topic()));
            awaitCondition(WAIT, () -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
            }, group + " assigned");
            consumer.commitSync(Map.of(TP, new OffsetAndMetadata(5)));

            int leader = nodes.leaderOf(Topic.GROUP_METADATA_TOPIC_NAME);
            coordinator = leader;
            List<Integer> followers = others(leader);
            long appended = logEnd(leader);
            nodes.pauseFetching(followers, true);
            // The consumer is used by this thread only while the commit runs.
            CompletableFuture<Boolean> acknowledged = CompletableFuture.supplyAsync(() -> {
                try {
                    consumer.commitSync(Map.of(TP, new OffsetAndMetadata(10)), WAIT);
                    return true;
                } catch (KafkaException e) {
                    return false;
                }
            });
            try {
                awaitCondition(WAIT, () -> acknowledged.isDone() || logEnd(leader) > appended,
                        "the commit appended on the coordinator");
                cluster.stop(leader);
            } finally {
                nodes.pauseFetching(followers, false);
            }
            long expected = acknowledged.get(WAIT.toSeconds(), TimeUnit.SECONDS) ? 10 : 5;
            try (Admin admin = cluster.admin()) {
                long[] served = {-1};
                awaitCondition(WAIT, () -> (served[0] = committed(admin, group)) >= 0, "the new coordinator answers");
                assertEquals(expected, served[0], "the offset last acknowledged to the consumer");
            }
        } finally {
            consumer.close(Duration.ZERO);
            if (coordinator >= 0 && !isRunning(coordinator)) {
                cluster.start(coordinator);
            }
        }
    }

    private static boolean isRunning(int node) {
        try {
            cluster.server(node);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<Integer> others(int node) {
        return cluster.nodeIds().stream().filter(id -> id != node).toList();
    }

    private static boolean leads(int node) {
        try {
            logEnd(node);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The log end offset of {@code __consumer_offsets-0} on the node leading it. */
    private static long logEnd(int node) {
        return cluster.server(node).replicaManager().leaderPartition(OFFSETS).log().logEndOffset();
    }

    /** The group's committed offset of t-0 (OffsetFetch), -1 if none or the coordinator cannot answer yet. */
    private static long committed(Admin admin, String group) {
        try {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(TP);
            return offset == null ? -1 : offset.offset();
        } catch (ExecutionException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
