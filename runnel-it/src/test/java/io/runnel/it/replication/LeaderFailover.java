package io.runnel.it.replication;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What replication between brokers must survive, whatever secures it: records produced with acks=all reach a full
 * ISR; when the leader stops, another leads with every acknowledged record; the stopped node, started again,
 * catches up and rejoins the ISR; a consumer reads every acknowledged record.
 */
final class LeaderFailover {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private LeaderFailover() {
    }

    /** @param client the settings of the producer and consumer (bootstrap servers and security) */
    static void check(ThreeNodes nodes, String topic, Properties client) throws Exception {
        nodes.createTopic(topic);
        awaitCondition(WAIT, () -> nodes.isrSize(topic) == 3, "a full ISR");
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        produce(nodes, topic, client, 0, 1000, acknowledged);
        int oldLeader = nodes.leaderOf(topic);
        nodes.cluster.stop(oldLeader);
        awaitCondition(WAIT, () -> nodes.leaderOf(topic) != oldLeader, "a new leader");
        produce(nodes, topic, client, 1000, 2000, acknowledged);
        assertEquals(2000, acknowledged.size());

        nodes.cluster.start(oldLeader);
        awaitCondition(WAIT, () -> nodes.isrSize(topic) == 3,
                "node " + oldLeader + " caught up and rejoined the ISR");
        List<String> read = readAll(nodes, topic, client);
        assertEquals(acknowledged.size(), read.size());
        assertTrue(read.containsAll(acknowledged), "every acknowledged record");
    }

    private static void produce(ThreeNodes nodes, String topic, Properties client, int from, int to,
                                List<String> acknowledged) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        try (KafkaProducer<byte[], byte[]> producer = nodes.cluster.producer(props)) {
            for (int i = from; i < to; i++) {
                String value = Integer.toString(i);
                producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8)), (m, e) -> {
                    if (e == null) {
                        acknowledged.add(value);
                    }
                });
            }
            producer.flush();
        }
    }

    private static List<String> readAll(ThreeNodes nodes, String topic, Properties client) {
        List<String> values = new ArrayList<>();
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = nodes.cluster.consumer(client)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            awaitCondition(WAIT, () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
                return consumer.position(tp) >= end;
            }, "read " + topic + " to offset " + end);
        }
        return values;
    }
}
