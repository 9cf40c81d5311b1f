package io.runnel.it;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads partitions from their beginning up to the end offsets they had when reading started. */
public final class TopicReader {
    private static final Duration POLL = Duration.ofMillis(200);

    private TopicReader() {
    }

    public static List<TopicPartition> partitions(String topic, int count) {
        return IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    /** Returns the number of records handed to the sink. */
    public static long readAll(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions,
                               Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        long[] count = {0};
        Await.awaitCondition(timeout, () -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                sink.accept(record);
                count[0]++;
            }
            return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
        }, "reading " + partitions + " up to " + ends);
        return count[0];
    }

    public static long endOffsetSum(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
}
