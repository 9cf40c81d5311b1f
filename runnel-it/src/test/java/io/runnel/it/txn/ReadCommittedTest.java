package io.runnel.it.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The partition side of transactions with real clients: transactional batches and the coordinator's markers are sent
 * on the wire to the partition leader (see {@link RawTransactions}); kafka-clients consumers read them with
 * {@code isolation.level=read_committed} (committed records only, never past an open transaction) and
 * {@code read_uncommitted} (everything); Admin's listOffsets and describeProducers see the last stable offset and the
 * open transactions.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadCommittedTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private RunnelCluster cluster;
    private Admin admin;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().start();
        admin = cluster.admin();
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void readCommittedSeesOnlyCommittedRecordsAndReadUncommittedSeesThemAll() throws Exception {
        String topic = "txn-visibility";
        cluster.createTopic(topic, 1);
        try (RawTransactions txns = new RawTransactions(leaderAddress(topic))) {
            txns.writeInterleaved(topic);
        }
        assertEquals(RawTransactions.COMMITTED, readAll(topic, "read_committed"));
        assertEquals(RawTransactions.ALL, readAll(topic, "read_uncommitted"));
    }

    @Test
    void aReadCommittedConsumerWaitsAtAnOpenTransactionAndMovesOnAfterItsMarker() throws Exception {
        String topic = "txn-lso";
        cluster.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        plainSend(topic, "before");
        try (RawTransactions txns = new RawTransactions(leaderAddress(topic));
             KafkaConsumer<byte[], byte[]> consumer = consumer("read_committed")) {
            long producerId = txns.newProducerId();
            long txnStart = txns.send(topic, 0, producerId, 0, "in-txn");
            plainSend(topic, "after");
            assertEquals(txnStart, latest(tp, IsolationLevel.READ_COMMITTED), "latest read_committed: the LSO");
            assertEquals(txnStart + 2, latest(tp, IsolationLevel.READ_UNCOMMITTED), "latest: the high watermark");

            ProducerState open = producer(tp, producerId);
            assertEquals(txnStart, open.currentTransactionStartOffset().orElse(-1), "open transaction's start");
            assertEquals(0, open.producerEpoch());
            assertEquals(0, open.lastSequence());

            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            Await.awaitCondition(WAIT, () -> {
                poll(consumer, seen);
                return consumer.position(tp) == txnStart;
            }, "the read_committed consumer reaches the open transaction");
            poll(consumer, seen);
            assertEquals(List.of("before"), seen, "nothing at or after the open transaction");
            assertEquals(txnStart, consumer.position(tp));

            assertEquals(Errors.NONE, txns.marker(topic, 0, producerId, (short) 0, 7, true));
            Await.awaitCondition(WAIT, () -> {
                poll(consumer, seen);
                return seen.size() == 3;
            }, "the consumer reads on once the transaction committed: " + seen);
            assertEquals(List.of("before", "in-txn", "after"), seen);
            long end = txnStart + 3;
            assertEquals(end, latest(tp, IsolationLevel.READ_COMMITTED), "the LSO passed the marker");
            assertEquals(end, latest(tp, IsolationLevel.READ_UNCOMMITTED));

            ProducerState ended = producer(tp, producerId);
            assertTrue(ended.currentTransactionStartOffset().isEmpty(), "no open transaction");
            assertEquals(7, ended.coordinatorEpoch().orElse(-1), "the marker's coordinator epoch");
        }
    }

    @Test
    void markersOfAStaleProducerOrCoordinatorEpochAreRefused() throws Exception {
        String topic = "txn-fenced";
        cluster.createTopic(topic, 1);
        try (RawTransactions txns = new RawTransactions(leaderAddress(topic))) {
            long producerId = txns.newProducerId();
            txns.send(topic, 0, producerId, 0, "fenced");
            // The coordinator fences the producer: epoch 1 aborts its transaction.
            assertEquals(Errors.NONE, txns.marker(topic, 0, producerId, (short) 1, 3, false));
            assertEquals(Errors.INVALID_PRODUCER_EPOCH, txns.marker(topic, 0, producerId, (short) 0, 3, true));
            assertEquals(Errors.TRANSACTION_COORDINATOR_FENCED,
                    txns.marker(topic, 0, producerId, (short) 1, 2, false));
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    txns.marker("txn-absent", 0, producerId, (short) 1, 3, false));
        }
        assertEquals(List.of(), readAll(topic, "read_committed"));
    }

    private String leaderAddress(String topic) throws Exception {
        int leader = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0)
                .leader().id();
        return cluster.node(leader).bootstrapServers();
    }

    private void plainSend(String topic, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        return cluster.consumer(props);
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, List<String> seen) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            seen.add(new String(record.value(), StandardCharsets.UTF_8));
        }
    }

    /** Every record of partition 0 a consumer with this isolation level reads, up to its end offset. */
    private List<String> readAll(String topic, String isolation) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(isolation)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            Await.awaitCondition(WAIT, () -> {
                poll(consumer, seen);
                return consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp);
            }, "a " + isolation + " consumer reads " + topic + " to its end");
            return seen;
        }
    }

    private long latest(TopicPartition tp, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).partitionResult(tp)
                .get().offset();
    }

    private ProducerState producer(TopicPartition tp, long producerId) throws Exception {
        return admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers().stream()
                .filter(p -> p.producerId() == producerId).findFirst().orElseThrow();
    }
}
