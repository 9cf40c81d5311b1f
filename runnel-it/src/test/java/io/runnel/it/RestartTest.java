package io.runnel.it;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestartTest {
    private static final int PARTITIONS = 3;

    private static RunnelCluster cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = RunnelCluster.builder().start();
    }

    @AfterAll
    static void stopBroker() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void dataTopicIdsAndProducerStateSurviveCleanRestart() throws Exception {
        RoundTrip data = new RoundTrip("kept", PARTITIONS, 20_000);
        cluster.createTopic("kept", PARTITIONS);
        cluster.createTopic("kept-empty", 1);
        Map<String, Uuid> idsBefore = topicIds();
        List<TopicPartition> partitions = TopicReader.partitions("kept", PARTITIONS);

        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            data.produce(producer);
            Map<TopicPartition, Long> endsBefore = endOffsets(partitions);

            cluster.restart();

            assertEquals(idsBefore, topicIds());
            data.verify(cluster);
            // The idempotent producer continues its sequence numbers: the broker must have kept its state.
            for (TopicPartition tp : partitions) {
                RecordMetadata appended = get(producer.send(record(tp, "same-producer")));
                assertEquals(endsBefore.get(tp), appended.offset(), "next offset of " + tp);
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (TopicPartition tp : partitions) {
                get(producer.send(record(tp, "new-producer")));
            }
        }
        assertTails(partitions, List.of("same-producer", "new-producer"));
    }

    private static ProducerRecord<byte[], byte[]> record(TopicPartition tp, String value) {
        return new ProducerRecord<>(tp.topic(), tp.partition(), null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertTails(List<TopicPartition> partitions, List<String> tail) {
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, ends.get(tp) - tail.size()));
            Map<TopicPartition, List<byte[]>> values = new HashMap<>();
            Await.awaitCondition(Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                            .add(r.value());
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            }, "tails of " + partitions);
            for (TopicPartition tp : partitions) {
                List<byte[]> got = values.get(tp);
                assertEquals(tail.size(), got.size(), "tail of " + tp);
                for (int i = 0; i < tail.size(); i++) {
                    assertArrayEquals(tail.get(i).getBytes(StandardCharsets.UTF_8), got.get(i), "tail of " + tp);
                }
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            return consumer.endOffsets(partitions);
        }
    }

    private static Map<String, Uuid> topicIds() {
        try (Admin admin = cluster.admin()) {
            return get(admin.describeTopics(List.of("kept", "kept-empty")).allTopicNames()).values().stream()
                    .collect(Collectors.toMap(TopicDescription::name, TopicDescription::topicId));
        }
    }
}
