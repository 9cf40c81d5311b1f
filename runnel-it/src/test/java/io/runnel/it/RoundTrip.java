package io.runnel.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;

/**
 * Sends numbered records (keys, headers, some null keys and null values) and checks that a consumer reads
 * back exactly those records: each in the partition it was acknowledged in, keyed ones in the default
 * partitioner's partition, and per partition in send order at consecutive offsets with nothing missing, extra or
 * altered (keys, values, headers, CreateTime timestamps).
 */
public final class RoundTrip {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final String topic;
    private final int partitionCount;
    private final int recordCount;
    private final int[] partitionOf;
    private final long[] timestampOf;

    public RoundTrip(String topic, int partitionCount, int recordCount) {
        this.topic = topic;
        this.partitionCount = partitionCount;
        this.recordCount = recordCount;
        this.partitionOf = new int[recordCount];
        this.timestampOf = new long[recordCount];
        Arrays.fill(partitionOf, -1);
    }

    /** Creates the topic, sends with a producer configured by the overrides and reads everything back. */
    public static RoundTrip run(KafkaEndpoint broker, String topic, int partitions, int records,
                                Properties producerOverrides) {
        broker.createTopic(topic, partitions);
        RoundTrip roundTrip = new RoundTrip(topic, partitions, records);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(producerOverrides)) {
            roundTrip.produce(producer);
        }
        roundTrip.verify(broker);
        return roundTrip;
    }

    public void produce(KafkaProducer<byte[], byte[]> producer) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int seq = 0; seq < recordCount; seq++) {
            int s = seq;
            producer.send(record(seq), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    partitionOf[s] = metadata.partition();
                    timestampOf[s] = metadata.timestamp();
                }
            });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new AssertionError("send failed", failure.get());
        }
    }

    /** Reads with a fresh consumer; valid again later, e.g. after a restart or after bad input. */
    public void verify(KafkaEndpoint broker) {
        List<TopicPartition> partitions = TopicReader.partitions(topic, partitionCount);
        int[][] expected = expectedSequencesByPartition();
        int[] cursor = new int[partitionCount];
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(new Properties())) {
            // acks=0 gives no proof of arrival: wait until the log holds every record before reading.
            Await.awaitCondition(TIMEOUT, () -> TopicReader.endOffsetSum(consumer, partitions) >= recordCount,
                    recordCount + " records in " + topic);
            assertEquals(recordCount, TopicReader.endOffsetSum(consumer, partitions), "end offsets of " + topic);
            TopicReader.readAll(consumer, partitions, TIMEOUT, r -> {
                int seq = seqOf(r);
                int p = r.partition();
                assertTrue(cursor[p] < expected[p].length, "extra record " + seq + " in partition " + p);
                assertEquals(expected[p][cursor[p]], seq, "record order in partition " + p);
                assertEquals(cursor[p], r.offset(), "offset of record " + seq);
                cursor[p]++;
                assertContent(seq, r);
            });
        }
        for (int p = 0; p < partitionCount; p++) {
            assertEquals(expected[p].length, cursor[p], "records read from partition " + p);
        }
    }

    public String topic() {
        return topic;
    }

    private int[][] expectedSequencesByPartition() {
        int[] sizes = new int[partitionCount];
        for (int seq = 0; seq < recordCount; seq++) {
            assertTrue(partitionOf[seq] >= 0, "record " + seq + " was acknowledged");
            sizes[partitionOf[seq]]++;
        }
        int[][] bySequence = new int[partitionCount][];
        for (int p = 0; p < partitionCount; p++) {
            bySequence[p] = new int[sizes[p]];
        }
        int[] fill = new int[partitionCount];
        for (int seq = 0; seq < recordCount; seq++) {
            int p = partitionOf[seq];
            bySequence[p][fill[p]++] = seq;
        }
        return bySequence;
    }

    private void assertContent(int seq, ConsumerRecord<byte[], byte[]> r) {
        byte[] key = key(seq);
        assertArrayEquals(key, r.key(), "key of record " + seq);
        assertArrayEquals(value(seq), r.value(), "value of record " + seq);
        assertEquals(TimestampType.CREATE_TIME, r.timestampType(), "timestamp type of record " + seq);
        assertEquals(timestampOf[seq], r.timestamp(), "timestamp of record " + seq);
        if (key != null) {
            assertEquals(Utils.toPositive(Utils.murmur2(key)) % partitionCount, r.partition(),
                    "default partitioner's partition of record " + seq);
        }
        Header tag = r.headers().lastHeader("tag");
        assertNotNull(tag, "tag header of record " + seq);
        if (seq % 5 == 0) {
            assertNull(tag.value(), "null header value of record " + seq);
        } else {
            assertArrayEquals(bytes("t" + seq % 3), tag.value(), "tag header of record " + seq);
        }
    }

    private ProducerRecord<byte[], byte[]> record(int seq) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key(seq), value(seq));
        record.headers()
                .add("seq", ByteBuffer.allocate(Integer.BYTES).putInt(0, seq).array())
                .add("tag", seq % 5 == 0 ? null : bytes("t" + seq % 3));
        return record;
    }

    static int seqOf(ConsumerRecord<byte[], byte[]> r) {
        Header seq = r.headers().lastHeader("seq");
        assertNotNull(seq, "seq header at " + r.topic() + "-" + r.partition() + "@" + r.offset());
        return ByteBuffer.wrap(seq.value()).getInt();
    }

    private static byte[] key(int seq) {
        return seq % 7 == 0 ? null : bytes("key-" + seq % 5000);
    }

    private static byte[] value(int seq) {
        return seq % 11 == 0 ? null : bytes("value-" + seq + "-" + "x".repeat(seq % 64));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
