package io.runnel.it.groups.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import io.runnel.it.http.PrometheusScrape;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * offsets.retention.minutes: the committed offsets of a group without members expire once the retention has passed
 * since it became empty, while those of a group with a live member are kept (Kafka's rule, KIP-211); the
 * coordinator counts the expired offset in Kafka's offset-expiration-count.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OffsetExpiryTest {
    private static final Duration EXPIRY_WAIT = Duration.ofSeconds(150);
    private RunnelCluster cluster;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        PrometheusScrape.requireParser();
        cluster = shape().builder()
                .brokerProperty("offsets.topic.num.partitions", "3")
                .brokerProperty("offsets.retention.minutes", "1")
                .brokerProperty("offsets.retention.check.interval.ms", "500")
                .brokerProperty("admin.listeners", "http://127.0.0.1:0")
                .start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void offsetsOfAnEmptyGroupExpireWhileAnActiveGroupKeepsItsOwn() throws Exception {
        String topic = "expiring";
        cluster.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<TopicPartition, OffsetAndMetadata> commit = Map.of(tp, new OffsetAndMetadata(0));

        try (KafkaConsumer<byte[], byte[]> gone = cluster.consumer(group("left-group"))) {
            gone.assign(Set.of(tp));
            gone.commitSync(commit);
        }
        // A member whose background heartbeats keep it in the group for the whole wait (max.poll.interval.ms is 5 min).
        try (KafkaConsumer<byte[], byte[]> active = cluster.consumer(group("active-group"));
             Admin admin = cluster.admin()) {
            active.subscribe(Set.of(topic));
            Await.awaitCondition(Duration.ofSeconds(60), () -> {
                active.poll(Duration.ofMillis(100));
                return active.assignment().contains(tp);
            }, "the active member gets its partition");
            active.commitSync(commit);
            assertEquals(commit, offsets(admin, "left-group"));

            Await.awaitCondition(EXPIRY_WAIT, () -> offsets(admin, "left-group").isEmpty(),
                    "the empty group's offsets expire after offsets.retention.minutes");
            assertEquals(commit, offsets(admin, "active-group"), "a group with a member keeps its offsets");
        }
        assertEquals(1.0, scrapedSum("kafka_server_group_coordinator_metrics_offset_expiration_count"),
                "the coordinator counted the expired offset");
        assertEquals(0.0, scrapedSum("kafka_server_group_coordinator_metrics_offset_deletion_count"),
                "expiry is not an OffsetDelete");
    }

    /** The sum over the nodes of a metric each node's /metrics serves. */
    private double scrapedSum(String name) throws Exception {
        double sum = 0;
        for (int node : cluster.nodeIds()) {
            sum += PrometheusScrape.of(cluster.server(node).adminPort()).value(name).orElseThrow();
        }
        return sum;
    }

    private static Properties group(String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        return props;
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Admin admin, String groupId) {
        try {
            return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("listing the offsets of " + groupId, e);
        }
    }
}
