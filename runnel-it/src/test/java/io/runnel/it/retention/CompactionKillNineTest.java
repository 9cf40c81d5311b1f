package io.runnel.it.retention;

import static io.runnel.it.Futures.get;
import static io.runnel.it.retention.PartitionContent.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.runnel.it.Await;
import io.runnel.it.RunnelProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker killed with SIGKILL while it compacts a large topic restarts, finishes the clean, and the topic then
 * holds exactly the last value of every key still alive: nothing lost, nothing resurrected.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CompactionKillNineTest {
    private static final String TOPIC = "compacted-crash";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int RECORDS = 200_000;
    private static final int KEYS = 1_000;
    private static final int SEGMENT_BYTES = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void aCleanKilledMidwayFinishesAfterRestartWithTheReferenceContent() throws Exception {
        try (RunnelProcess broker = RunnelProcess.start(Map.of("log.segment.bytes", Integer.toString(SEGMENT_BYTES),
                // the first cleaner pass comes once the workload is in: it then cleans the whole topic at once
                "log.cleaner.backoff.ms", "15000", "log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20)))) {
            try (Admin admin = broker.admin()) {
                get(admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                        "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01",
                        "delete.retention.ms", "0")))).all());
            }
            Map<String, String> reference = produceWorkload(broker);

            Await.awaitCondition(TIMEOUT, () -> cleaningHasStarted(broker), "the cleaner swaps in a first segment");
            broker.kill9();
            broker.start();

            Await.awaitCondition(TIMEOUT, () -> compactedTo(broker, reference), "the restarted broker finishes");
        }
    }

    /** Random keys, one value in ten a tombstone, then a record too large to share the last segment. */
    private static Map<String, String> produceWorkload(RunnelProcess broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        Map<String, String> reference = new HashMap<>();
        Random random = new Random(11);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(props)) {
            for (int i = 0; i < RECORDS; i++) {
                String key = "key" + random.nextInt(KEYS);
                String value = random.nextInt(10) == 0 ? null : "value-" + i + "-" + "x".repeat(60);
                producer.send(new ProducerRecord<>(TOPIC, 0, utf8(key), utf8(value)));
                if (value == null) {
                    reference.remove(key);
                } else {
                    reference.put(key, value);
                }
            }
            get(producer.send(new ProducerRecord<>(TOPIC, 0, utf8("end"), utf8("e".repeat(SEGMENT_BYTES - 200)))));
        }
        return reference;
    }

    /** A gap among the first offsets: a cleaned segment is in place. */
    private static boolean cleaningHasStarted(RunnelProcess broker) {
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(new Properties())) {
            consumer.assign(List.of(TP));
            consumer.seek(TP, 0);
            long expected = 0;
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
                if (r.offset() != expected++) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One record per live key with its last value, no tombstone, offsets increasing, then the "end" record. */
    private static boolean compactedTo(RunnelProcess broker, Map<String, String> reference) {
        List<String> records = PartitionContent.read(broker, TP);
        Map<String, String> actual = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (String record : records.subList(0, records.size() - 1)) {
            String[] parts = record.split(":");
            if (!keys.add(parts[1]) || parts[2].equals("null")) {
                return false;
            }
            actual.put(parts[1], parts[2]);
        }
        assertTrue(records.get(records.size() - 1).startsWith(RECORDS + ":end:"), "the last record stays");
        assertEquals(reference, actual, "the last value of every live key");
        return true;
    }
}
