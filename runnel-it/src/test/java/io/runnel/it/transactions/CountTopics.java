package io.runnel.it.transactions;

import io.runnel.it.Await;
import io.runnel.it.KafkaEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The output of a Kafka Streams count: String keys, Long counts, as a consumer at an isolation level reads it. */
final class CountTopics {
    private static final Duration WAIT = Duration.ofSeconds(180);

    private CountTopics() {
    }

    /** Every count of every partition of {@code topic}, per key in the order written, up to the partitions' ends. */
    static Map<String, List<Long>> read(KafkaEndpoint cluster, String topic, int partitions, String isolation) {
        Map<String, List<Long>> counts = new LinkedHashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            for (int partition = 0; partition < partitions; partition++) {
                TopicPartition tp = new TopicPartition(topic, partition);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                Await.awaitCondition(WAIT, () -> {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        counts.computeIfAbsent(new String(record.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                                .add(ByteBuffer.wrap(record.value()).getLong());
                    }
                    return consumer.position(tp) >= end;
                }, "a " + isolation + " consumer reads " + tp + " to its end");
            }
        }
        return counts;
    }
}
