package io.runnel.it.http;

import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka 4's group-coordinator-metrics and transaction-coordinator-metrics on /metrics, after a classic group, a
 * consumer-protocol group and a transactional producer used the node: the groups counted by protocol and state, the
 * committed offsets, the commits and the offsets an OffsetDelete request removes, and the load times of the offsets
 * and transaction state partitions that clients made lead here.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CoordinatorMetricsTest {
    private static final String GROUP = "kafka_server_group_coordinator_metrics_";
    private static final String TOPIC = "coordinated";

    private RunnelCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void groupsOffsetsAndLoadTimesAreCounted() throws Exception {
        PrometheusScrape.requireParser();
        cluster = RunnelCluster.builder().brokerProperty("admin.listeners", "http://127.0.0.1:0").start();
        cluster.createTopic(TOPIC, 2);
        Properties transactional = new Properties();
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "metrics-tx");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(transactional)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, null, "a".getBytes()));
            producer.send(new ProducerRecord<>(TOPIC, 1, null, "b".getBytes()));
            producer.commitTransaction();
        }
        for (String protocol : List.of("classic", "consumer")) {
            Properties group = new Properties();
            group.put(ConsumerConfig.GROUP_ID_CONFIG, protocol + "-group");
            group.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            group.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(group)) {
                consumer.subscribe(List.of(TOPIC));
                int read = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (read < 2 && System.nanoTime() < deadline) {
                    read += consumer.poll(Duration.ofMillis(200)).count();
                }
                assertEquals(2, read, protocol + " group read the topic");
                consumer.commitSync();
            }
        }

        PrometheusScrape scrape = PrometheusScrape.of(cluster.server(1).adminPort());
        assertEquals(1.0, scrape.value(GROUP + "group_count", "protocol", "classic").orElseThrow());
        assertEquals(1.0, scrape.value(GROUP + "group_count", "protocol", "consumer").orElseThrow());
        assertEquals(1.0, scrape.value(GROUP + "classic_group_count", "state", "Empty").orElseThrow(),
                "the classic group's consumer left");
        assertEquals(0.0, scrape.value(GROUP + "classic_group_count", "state", "Stable").orElseThrow());
        double consumerGroups = 0;
        for (String state : List.of("Empty", "Assigning", "Reconciling", "Stable")) {
            consumerGroups += scrape.value(GROUP + "consumer_group_count", "state", state).orElseThrow();
        }
        assertEquals(1.0, consumerGroups, "the consumer group in one state");
        assertEquals(4.0, scrape.value(GROUP + "offset_count").orElseThrow(), "two groups' offsets of two partitions");
        assertEquals(Double.valueOf(4.0), scrape.value("kafka_coordinator_group_groupmetadatamanager_numoffsets")
                .orElseThrow(), "the same as NumOffsets");
        assertTrue(scrape.value(GROUP + "offset_commit_count").orElseThrow() >= 4, "each commitSync wrote two");
        assertTrue(scrape.value(GROUP + "group_completed_rebalance_count").orElseThrow() >= 1,
                "the classic group's member joined");
        assertTrue(scrape.value(GROUP + "consumer_group_rebalance_count").orElseThrow() >= 2,
                "the consumer group's epoch went up as its member joined and as it left");
        // The offsets and transaction state partitions were created and loaded within the last minute.
        assertTrue(scrape.value(GROUP + "partition_load_time_max").orElseThrow() >= 0);
        assertTrue(scrape.value("kafka_server_transaction_coordinator_metrics_partition_load_time_max")
                .orElseThrow() >= 0);
        assertEquals(0.0, scrape.value(GROUP + "offset_deletion_count").orElseThrow());

        try (Admin admin = cluster.admin()) {
            admin.deleteConsumerGroupOffsets("classic-group",
                    Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1))).all().get();
        }
        scrape = PrometheusScrape.of(cluster.server(1).adminPort());
        assertEquals(2.0, scrape.value(GROUP + "offset_deletion_count").orElseThrow(), "the two offsets deleted");
        assertEquals(2.0, scrape.value(GROUP + "offset_count").orElseThrow(), "the consumer group's remain");
        assertEquals(0.0, scrape.value(GROUP + "offset_expiration_count").orElseThrow(),
                "offsets.retention.minutes has not passed");
    }
}
