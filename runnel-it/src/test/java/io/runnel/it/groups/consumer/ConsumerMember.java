package io.runnel.it.groups.consumer;

import java.io.FileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A {@code group.protocol=consumer} member: processes what it polls, then commits it (commitSync), and commits its
 * progress when partitions are revoked. It logs to a writer "a p" / "v p" when partition p is assigned / revoked,
 * "r p o t" per processed record and "c p o t" after each successful commit (t: System.nanoTime, one clock for every
 * JVM of the machine), so a test can check ownership, that nothing committed is lost and that records are processed
 * twice only past the last commit. Runs in a test thread or as a child JVM's main.
 */
public final class ConsumerMember implements Runnable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Writer log;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();

    ConsumerMember(String bootstrap, String group, String clientId, String topic, Writer log) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.topic = topic;
        this.log = log;
    }

    /** Child JVM entry point. Arguments: bootstrap servers, group, client id, topic, log file. */
    public static void main(String[] args) throws IOException {
        try (Writer log = new FileWriter(args[4])) {
            new ConsumerMember(args[0], args[1], args[2], args[3], log).run();
        }
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit();
                    partitions.forEach(tp -> write("v " + tp.partition()));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> write("a " + tp.partition()));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(uncommitted::remove);
                    partitions.forEach(tp -> write("v " + tp.partition()));
                }
            });
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    write("r " + record.partition() + " " + record.offset() + " " + System.nanoTime());
                    uncommitted.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                commit();
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void commit() {
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        uncommitted.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        try {
            consumer.commitSync(offsets);
            offsets.forEach((tp, o) -> write("c " + tp.partition() + " " + o.offset() + " " + System.nanoTime()));
        } catch (KafkaException e) {
            // The partitions moved before the commit: what was not committed is processed again, as the test allows.
            write("x " + e.getClass().getSimpleName());
        }
        uncommitted.clear();
    }

    private void write(String line) {
        try {
            synchronized (log) {
                log.write(line + "\n");
                log.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Leaves the group (heartbeat with epoch -1 on close) and stops. */
    void stop() {
        running.set(false);
        consumer.wakeup();
    }
}
