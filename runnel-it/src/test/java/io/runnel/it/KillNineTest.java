package io.runnel.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A broker process killed with SIGKILL mid-stream restarts with every acknowledged record intact. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KillNineTest {
    private static final String TOPIC = "survives-kill";
    private static final int PARTITIONS = 3;
    private static final int ACKS_BEFORE_KILL = 20_000;
    private static final int MAX_RECORDS = 2_000_000;

    /** Two rounds: the second crash hits a log that was itself recovered from a crash. */
    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        try (RunnelProcess broker = RunnelProcess.start(Map.of())) {
            broker.createTopic(TOPIC, PARTITIONS);
            BitSet acknowledged = new BitSet();
            int nextSeq = 0;
            for (int round = 1; round <= 2; round++) {
                nextSeq = produceUntilKilled(broker, nextSeq, acknowledged);

                broker.start();

                verifyAfterRestart(broker, acknowledged);
            }
        }
    }

    /**
     * Sends records numbered from {@code firstSeq} with acks=all, adding each acknowledged one to the set, and kills
     * the broker once enough are acknowledged. Returns the next unused number.
     */
    private static int produceUntilKilled(RunnelProcess broker, int firstSeq, BitSet acknowledged) {
        AtomicInteger ackCount = new AtomicInteger();
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        KafkaProducer<byte[], byte[]> producer = broker.producer(props);
        int seq = firstSeq;
        try {
            for (; ackCount.get() < ACKS_BEFORE_KILL; seq++) {
                assertTrue(seq - firstSeq < MAX_RECORDS, "acknowledgements arrive while sending");
                int s = seq;
                producer.send(new ProducerRecord<>(TOPIC, key(seq), value(seq)), (metadata, e) -> {
                    if (e == null) {
                        synchronized (acknowledged) {
                            acknowledged.set(s);
                        }
                        ackCount.incrementAndGet();
                    }
                });
            }
            broker.kill9();
        } finally {
            // Abandon whatever is still in flight: only the acknowledgements seen so far count.
            producer.close(Duration.ZERO);
        }
        return seq;
    }

    private static void verifyAfterRestart(RunnelProcess broker, BitSet acknowledged) {
        BitSet lost;
        synchronized (acknowledged) {
            lost = (BitSet) acknowledged.clone();
        }
        List<TopicPartition> partitions = TopicReader.partitions(TOPIC, PARTITIONS);
        BitSet found = new BitSet();
        int[] lastSeq = new int[PARTITIONS];
        Arrays.fill(lastSeq, -1);
        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(new Properties())) {
            TopicReader.readAll(consumer, partitions, Duration.ofSeconds(120), r -> {
                int seq = ByteBuffer.wrap(r.key(), r.key().length - Integer.BYTES, Integer.BYTES).getInt();
                int p = r.partition();
                assertTrue(seq > lastSeq[p], "partition " + p + " holds " + seq + " after " + lastSeq[p]);
                lastSeq[p] = seq;
                assertEquals(Utils.toPositive(Utils.murmur2(r.key())) % PARTITIONS, p, "partition of " + seq);
                assertArrayEquals(value(seq), r.value(), "value of record " + seq);
                found.set(seq);
            });
        }
        int acknowledgedCount = lost.cardinality();
        lost.andNot(found);
        assertTrue(lost.isEmpty(), lost.cardinality() + " acknowledged records lost, first " + lost.nextSetBit(0)
                + " (of " + acknowledgedCount + " acknowledged, " + found.cardinality() + " found)");
    }

    /** Key: a prefix spreading records over partitions, then the sequence number. */
    private static byte[] key(int seq) {
        byte[] prefix = ("k" + seq % 1000).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(prefix.length + Integer.BYTES).put(prefix).putInt(seq).array();
    }

    private static byte[] value(int seq) {
        return ("value-" + seq + "-" + "p".repeat(seq % 100)).getBytes(StandardCharsets.UTF_8);
    }
}
