package io.runnel.it.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's follower replication throttle on two nodes: a follower named by {@code follower.replication.throttled.replicas}
 * fetches unthrottled while in the ISR; once it falls out of the ISR (a change of the ISR alone: the leader and its
 * epoch stay) it fetches at no more than {@code follower.replication.throttled.rate}, counting the bytes in
 * {@code kafka.server:type=FollowerReplication byte-rate}; with the rate removed it catches up, rejoins the ISR, and
 * knows it is back in.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FollowerThrottleTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "throttled";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final String RATE = "follower.replication.throttled.rate";
    private static final int RECORDS = 20;

    private RunnelCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFollowerThatLeavesTheIsrUnderTheSameLeaderEpochIsThrottled() throws Exception {
        // One voter: the broker-only node leaves nothing for the quorum to wait for when it stops.
        cluster = RunnelCluster.builder().roles("broker,controller", "broker")
                .brokerProperty("replica.lag.time.max.ms", "2000")
                // one batch per fetch: after its first fetch the 1 B/s throttle holds the follower back
                .brokerProperty("replica.fetch.max.bytes", "1")
                .start();
        int leader = cluster.nodeIds().get(0);
        int follower = cluster.nodeIds().get(1);
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(leader, follower)))
                    .configs(Map.of("follower.replication.throttled.replicas", "0:" + follower)))).all().get();
            // The first ISR lists both replicas before the follower created its replica: wait for that.
            Await.awaitCondition(WAIT, () -> inAppliedIsr(follower) && inIsrAsItSees(follower),
                    "the follower hosts its replica and sees itself in the ISR");
            alterRate(admin, follower, "1");
            int leaderEpoch = followerPartition(follower).leaderEpoch();

            cluster.server(follower).replicaManager().pauseFollowerFetching(true);
            Properties acksOne = new Properties();
            acksOne.put(ProducerConfig.ACKS_CONFIG, "1");
            try (KafkaProducer<byte[], byte[]> producer = cluster.node(leader).producer(acksOne)) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[100])).get();
                }
            }
            Await.awaitCondition(WAIT, () -> !inAppliedIsr(follower), "the paused follower applied its leaving the ISR");
            assertEquals(leaderEpoch, followerPartition(follower).leaderEpoch(), "the ISR changed alone");
            assertEquals(0.0, followerByteRate(follower), "nothing throttled was fetched yet");

            cluster.server(follower).replicaManager().pauseFollowerFetching(false);
            Await.awaitCondition(WAIT, () -> followerByteRate(follower) > 0, "the follower's fetch counts against its throttle");
            long leaderEnd = cluster.server(leader).replicaManager().leaderPartition(TP).log().logEndOffset();
            assertTrue(followerPartition(follower).log().logEndOffset() < leaderEnd,
                    "the throttle holds the follower back after its first fetch");

            alterRate(admin, follower, null);
            Await.awaitCondition(WAIT, () -> inIsrAsItSees(follower), "the follower catches up and knows it rejoined");
            assertEquals(leaderEnd, followerPartition(follower).log().logEndOffset());
        }
    }

    private Partition followerPartition(int follower) {
        return cluster.server(follower).replicaManager().replicaPartition(TP);
    }

    /** Whether the metadata the follower's replica manager has acted on lists it in the ISR. */
    private boolean inAppliedIsr(int follower) {
        var topic = cluster.server(follower).replicaManager().appliedImage().topicsByName().get(TOPIC);
        return topic != null && Arrays.stream(topic.partitions().get(TP.partition()).isr()).anyMatch(id -> id == follower);
    }

    /** Whether the follower's replica, which decides its throttle, counts itself in the ISR. */
    private boolean inIsrAsItSees(int follower) {
        return Arrays.stream(followerPartition(follower).maximalIsr()).anyMatch(id -> id == follower);
    }

    private double followerByteRate(int node) {
        return (double) cluster.server(node).metrics().kafkaMetricsOrNull("kafka.server:type=FollowerReplication")
                .values().get("byte-rate");
    }

    private static void alterRate(Admin admin, int broker, String rate) throws Exception {
        ConfigEntry entry = new ConfigEntry(RATE, rate == null ? "" : rate);
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)),
                List.of(new AlterConfigOp(entry, rate == null ? AlterConfigOp.OpType.DELETE
                        : AlterConfigOp.OpType.SET)))).all().get();
    }
}
