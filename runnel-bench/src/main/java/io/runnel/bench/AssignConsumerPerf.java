package io.runnel.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a whole topic with a group-less consumer (assign all partitions, seek to the beginning) and prints the
 * records, bytes and nanoseconds it took: consumption throughput for brokers without consumer groups, or at an
 * isolation level of choice (the end is then the last stable offset).
 * Usage: {@code AssignConsumerPerf <bootstrap> <topic> [read_uncommitted|read_committed [client config file]]}.
 */
public final class AssignConsumerPerf {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration MAX_IDLE = Duration.ofSeconds(30);

    private AssignConsumerPerf() {
    }

    public static void main(String[] args) throws IOException {
        Properties config = new Properties();
        if (args.length > 3) {
            try (Reader in = Files.newBufferedReader(Path.of(args[3]))) {
                config.load(in);
            }
        }
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "assign-consumer-perf");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, args.length > 2 ? args[2] : "read_uncommitted");
        // the receive buffer ConsumerPerformance asks for by default
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(2 * 1024 * 1024));
        try (KafkaConsumer<Void, Void> consumer = new KafkaConsumer<>(config, new Discard(), new Discard())) {
            List<TopicPartition> partitions = consumer.partitionsFor(args[1]).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> remaining = new HashMap<>(consumer.endOffsets(partitions));
            removeFinished(consumer, remaining);
            long records = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long lastProgress = start;
            while (!remaining.isEmpty()) {
                ConsumerRecords<Void, Void> batch = consumer.poll(POLL);
                long now = System.nanoTime();
                if (batch.isEmpty()) {
                    // a poll that only passed transaction markers returns no record but moves the position
                    removeFinished(consumer, remaining);
                    if (!remaining.isEmpty() && now - lastProgress > MAX_IDLE.toNanos()) {
                        throw new IllegalStateException("no records for " + MAX_IDLE + ", still to read: " + remaining);
                    }
                    continue;
                }
                lastProgress = now;
                records += batch.count();
                for (ConsumerRecord<Void, Void> record : batch) {
                    bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                }
                removeFinished(consumer, remaining);
            }
            new ResultLine().put("records", records).put("bytes", bytes).put("elapsed_ns", System.nanoTime() - start)
                    .print();
        }
    }

    private static void removeFinished(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> endOffsets) {
        endOffsets.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** Counts bytes without copying them: the figure is the broker's fetch path, not the client's deserialisation. */
    private static final class Discard implements Deserializer<Void> {
        @Override
        public Void deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public Void deserialize(String topic, Headers headers, ByteBuffer data) {
            return null;
        }
    }
}
