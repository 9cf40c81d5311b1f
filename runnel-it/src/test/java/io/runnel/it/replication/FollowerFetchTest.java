package io.runnel.it.replication;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.ThreeRacks;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.runnel.it.ThreeRacks.RECORDS;
import static io.runnel.it.ThreeRacks.VALUE_BYTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KIP-392 on three brokers in three racks with {@code replica.selector.class=RackAwareReplicaSelector}: a consumer
 * with {@code client.rack} set to a follower's rack is sent to that follower by the leader and reads every record
 * from it (the bytes its connection to each broker received show where), one without {@code client.rack} reads from
 * the leader; an automatically placed RF 3 topic has one replica per rack.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FollowerFetchTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "nearby";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ThreeRacks.start(TOPIC);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aConsumerInAFollowersRackReadsFromThatFollower() {
        Map<Integer, Double> received = consume("rack-3");
        assertTrue(received.getOrDefault(3, 0.0) > RECORDS * VALUE_BYTES, "the records came from node 3: " + received);
        assertTrue(received.getOrDefault(1, 0.0) < RECORDS * VALUE_BYTES / 10.0, "not from the leader: " + received);
    }

    @Test
    void aConsumerWithoutARackReadsFromTheLeader() {
        Map<Integer, Double> received = consume(null);
        assertTrue(received.getOrDefault(1, 0.0) > RECORDS * VALUE_BYTES, "the records came from the leader: " + received);
        assertTrue(received.getOrDefault(3, 0.0) < RECORDS * VALUE_BYTES / 10.0, received.toString());
    }

    @Test
    void anAutomaticallyPlacedTopicHasOneReplicaPerRack() throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("spread", 3, (short) 3))).all().get();
            TopicDescription spread = admin.describeTopics(List.of("spread")).allTopicNames().get().get("spread");
            spread.partitions().forEach(p -> assertEquals(Set.of("rack-1", "rack-2", "rack-3"),
                    p.replicas().stream().map(Node::rack).collect(Collectors.toSet()), p.toString()));
        }
    }

    /** Reads the topic whole with {@code client.rack} (or none); the bytes received from each broker, by node id. */
    private static Map<Integer, Double> consume(String rack) {
        Properties props = new Properties();
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "65536");
        if (rack != null) {
            props.put(ConsumerConfig.CLIENT_RACK_CONFIG, rack);
        }
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            Await.awaitCondition(WAIT, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(new String(r.value(), StandardCharsets.UTF_8)));
                return read.size() >= RECORDS;
            }, "reading " + TOPIC);
            for (int i = 0; i < RECORDS; i++) {
                assertEquals(new String(ThreeRacks.value(i), StandardCharsets.UTF_8), read.get(i));
            }
            return consumer.metrics().entrySet().stream()
                    .filter(e -> e.getKey().group().equals("consumer-node-metrics")
                            && e.getKey().name().equals("incoming-byte-total")
                            && e.getKey().tags().getOrDefault("node-id", "").matches("node-\\d+"))
                    .collect(Collectors.toMap(e -> Integer.parseInt(e.getKey().tags().get("node-id").substring(5)),
                            e -> ((Number) e.getValue().metricValue()).doubleValue()));
        }
    }
}
