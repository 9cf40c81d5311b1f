package io.runnel.it.transactions;

import io.runnel.it.Await;
import io.runnel.it.KafkaEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** What kafka-clients consumers and Admin see of a partition at an isolation level. */
public final class IsolatedReads {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private IsolatedReads() {
    }

    /** A consumer without a group at {@code isolation} ("read_committed" or "read_uncommitted"). */
    static KafkaConsumer<byte[], byte[]> consumer(KafkaEndpoint cluster, String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        return cluster.consumer(props);
    }

    /** One poll's record values, added to {@code seen}. */
    static void poll(KafkaConsumer<byte[], byte[]> consumer, List<String> seen) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            seen.add(new String(record.value(), StandardCharsets.UTF_8));
        }
    }

    /** Every record value of the partition a consumer at {@code isolation} reads, up to its end offset. */
    public static List<String> readAll(KafkaEndpoint cluster, TopicPartition tp, String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(cluster, isolation)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            Await.awaitCondition(WAIT, () -> {
                poll(consumer, seen);
                return consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp);
            }, "a " + isolation + " consumer reads " + tp + " to its end");
            return seen;
        }
    }

    /** One record of a plain producer to the topic's partition 0, acknowledged. */
    static void sendPlain(KafkaEndpoint cluster, String topic, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** What a read_committed consumer reads of the partition once no transaction on it is open. */
    public static List<String> readStable(KafkaEndpoint cluster, TopicPartition tp) {
        try (Admin admin = cluster.admin()) {
            awaitStable(admin, tp);
        }
        return readAll(cluster, tp, "read_committed");
    }

    /**
     * Waits until no transaction on the partition is open: a producer's commitTransaction returns when EndTxn is
     * answered, before the markers are written, so the last stable offset may briefly lag behind a transaction just
     * committed, and another producer's record may land before its marker.
     */
    public static void awaitStable(Admin admin, TopicPartition tp) {
        Await.awaitCondition(WAIT, () -> {
            try {
                return latest(admin, tp, IsolationLevel.READ_COMMITTED) == latest(admin, tp,
                        IsolationLevel.READ_UNCOMMITTED);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot list the offsets of " + tp, e);
            }
        }, "the transactions on " + tp + " have ended");
    }

    /** Admin's latest offset of the partition at the isolation level. */
    public static long latest(Admin admin, TopicPartition tp, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).partitionResult(tp)
                .get().offset();
    }
}
