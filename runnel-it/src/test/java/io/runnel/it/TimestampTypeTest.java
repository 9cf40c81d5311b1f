package io.runnel.it;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * message.timestamp.type as producers and consumers see it (CreateTime kept, LogAppendTime stamped by the broker),
 * and message.timestamp.before/after.max.ms refusing timestamps out of range.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TimestampTypeTest {
    private static final long OLD_CREATE_TIME = 1_000_000L;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        // A CreateTime from 1970 is accepted only because message.timestamp.before.max.ms allows it by default.
        cluster = RunnelCluster.builder().start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void logAppendTimeReplacesTheProducersTimestamp() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = roundTrip("log-append-time", "LogAppendTime");
        long before = System.currentTimeMillis() - 60_000;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertEquals(TimestampType.LOG_APPEND_TIME, r.timestampType());
            assertTrue(r.timestamp() >= before, "broker time, not the producer's: " + r.timestamp());
        }
    }

    @Test
    void createTimeKeepsTheProducersTimestamp() throws Exception {
        for (ConsumerRecord<byte[], byte[]> r : roundTrip("create-time", "CreateTime")) {
            assertEquals(TimestampType.CREATE_TIME, r.timestampType());
            assertEquals(OLD_CREATE_TIME, r.timestamp());
        }
    }

    @Test
    void aTimestampBeyondTheAllowedRangeIsRefusedWithInvalidTimestamp() throws Exception {
        String topic = "bounded-timestamps";
        try (Admin admin = cluster.admin()) {
            get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("message.timestamp.before.max.ms", "60000")))).all());
        }
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            // message.timestamp.after.max.ms is one hour by default; before.max.ms one minute on this topic.
            for (long timestamp : new long[] {now + 2 * 3_600_000L, now - 10 * 60_000L}) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(
                        new ProducerRecord<>(topic, 0, timestamp, null, new byte[1])).get(30, TimeUnit.SECONDS));
                assertInstanceOf(InvalidTimestampException.class, e.getCause());
            }
            assertEquals(0, producer.send(new ProducerRecord<>(topic, 0, now, null, new byte[1]))
                    .get(30, TimeUnit.SECONDS).offset());
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> roundTrip(String topic, String timestampType) throws Exception {
        try (Admin admin = cluster.admin()) {
            get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("message.timestamp.type", timestampType)))).all());
        }
        RecordMetadata metadata;
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            metadata = producer.send(new ProducerRecord<>(topic, 0, OLD_CREATE_TIME, null,
                    "v".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            TopicReader.readAll(consumer, TopicReader.partitions(topic, 1), Duration.ofSeconds(30), records::add);
        }
        assertEquals(1, records.size());
        // The produce response carries the log append time, so the producer learns the stored timestamp.
        assertEquals(records.get(0).timestamp(), metadata.timestamp());
        return records;
    }
}
