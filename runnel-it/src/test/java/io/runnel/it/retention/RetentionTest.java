package io.runnel.it.retention;

import static io.runnel.it.Futures.get;
import static io.runnel.it.retention.PartitionContent.earliestOffset;
import static io.runnel.it.retention.PartitionContent.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Time and size retention seen by real clients: the log start offset moves and consumers below it are reset. */
class RetentionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long HOUR = 3_600_000;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        // Small segments so that they close; a frequent retention check.
        cluster = RunnelCluster.builder().brokerProperty("log.segment.bytes", "1024")
                .brokerProperty("log.retention.check.interval.ms", "100").start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static void createTopic(Admin admin, String topic, Map<String, String> configs) {
        get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all());
    }

    /** One record per batch, with the given CreateTime. */
    static void produce(KafkaProducer<byte[], byte[]> producer, String topic, int from, int count, long timestamp) {
        for (int i = from; i < from + count; i++) {
            get(producer.send(new ProducerRecord<>(topic, 0, timestamp, utf8("k" + i), utf8("value-" + i + "-"
                    + "x".repeat(80)))));
        }
    }

    @Test
    void recordsOlderThanRetentionMsDisappearAndConsumersAreResetPerAutoOffsetReset() {
        String topic = "aged";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = cluster.admin(); KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            createTopic(admin, topic, Map.of("retention.ms", Long.toString(HOUR)));
            long now = System.currentTimeMillis();
            produce(producer, topic, 0, 40, now - 2 * HOUR);
            produce(producer, topic, 40, 20, now);

            Await.awaitCondition(TIMEOUT, () -> earliestOffset(admin, tp) > 0, "retention moves the log start offset");
            long start = earliestOffset(admin, tp);
            assertTrue(start <= 40, "records newer than retention.ms stay: start " + start);

            List<String> left = PartitionContent.read(cluster, tp);
            assertEquals(start, Long.parseLong(left.get(0).split(":")[0]));
            assertEquals(60 - start, left.size());

            Properties earliest = new Properties();
            earliest.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(earliest)) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 0);
                long[] first = {-1};
                Await.awaitCondition(TIMEOUT, () -> {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        first[0] = records.iterator().next().offset();
                    }
                    return first[0] >= 0;
                }, "the consumer is reset to the earliest offset");
                assertEquals(start, first[0]);
            }

            Properties none = new Properties();
            none.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
            try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(none)) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 0);
                OffsetOutOfRangeException e = assertThrows(OffsetOutOfRangeException.class, () ->
                        Await.awaitCondition(TIMEOUT, () -> !consumer.poll(Duration.ofMillis(200)).isEmpty(),
                                "a record or an out-of-range error"));
                assertEquals(Map.of(tp, 0L), e.offsetOutOfRangePartitions());
            }
        }
    }

    @Test
    void thePartitionIsKeptNearRetentionBytes() {
        String topic = "sized";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = cluster.admin(); KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            createTopic(admin, topic, Map.of("retention.bytes", "3000"));
            produce(producer, topic, 0, 100, System.currentTimeMillis());

            // Each record is about 150 bytes in its own batch: about 3000 to 4000 bytes stay. A retention pass that
            // ran while the records were still arriving leaves more, until the next pass.
            Await.awaitCondition(TIMEOUT, () -> PartitionContent.read(cluster, tp).size() <= 30,
                    "size retention trims the partition to about retention.bytes");
            long start = earliestOffset(admin, tp);
            List<String> left = PartitionContent.read(cluster, tp);
            assertTrue(left.size() >= 15, left.size() + " records left from " + start);
            assertEquals("99:k99", left.get(left.size() - 1).substring(0, 6));
            assertFalse(left.stream().anyMatch(r -> r.startsWith("0:")));
        }
    }
}
