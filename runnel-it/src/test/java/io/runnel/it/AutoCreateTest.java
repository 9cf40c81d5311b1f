package io.runnel.it;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AutoCreateTest {
    private static final int DEFAULT_PARTITIONS = 4;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RunnelCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = RunnelCluster.builder()
                .brokerProperty("auto.create.topics.enable", "true")
                .brokerProperty("num.partitions", Integer.toString(DEFAULT_PARTITIONS))
                .start();
        admin = cluster.admin();
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void producingToAnUnknownTopicCreatesItWithNumPartitions() {
        String topic = "created-by-producer";
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            RecordMetadata metadata = get(producer.send(new ProducerRecord<>(topic, 2, null, new byte[] {7})));
            assertEquals(0, metadata.offset());
        }
        assertEquals(DEFAULT_PARTITIONS, partitionCount(topic));
    }

    @Test
    void consumerMetadataCreatesTheTopicWhenAllowed() {
        String topic = "created-by-consumer";
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(
                consumerProperties(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "true"))) {
            Await.awaitCondition(WAIT, () -> consumer.partitionsFor(topic, WAIT).size() == DEFAULT_PARTITIONS,
                    topic + " has " + DEFAULT_PARTITIONS + " partitions in the consumer's metadata");
        }
        assertEquals(DEFAULT_PARTITIONS, partitionCount(topic));
    }

    @Test
    void consumerMetadataLeavesTheTopicAloneWhenNotAllowed() {
        String topic = "not-created-by-consumer";
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(
                consumerProperties(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"))) {
            assertTrue(consumer.partitionsFor(topic, WAIT).isEmpty());
        }
        assertFalse(get(admin.listTopics().names()).contains(topic));
    }

    private static int partitionCount(String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().size();
    }

    private static Properties consumerProperties(String key, String value) {
        Properties props = new Properties();
        props.put(key, value);
        return props;
    }
}
