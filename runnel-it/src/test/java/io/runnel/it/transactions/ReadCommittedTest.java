package io.runnel.it.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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
 * open transactions. A kafka-clients transactional producer that stalls mid-transaction has it aborted by the
 * coordinator after {@code transaction.timeout.ms}, after which read_committed consumers read on.
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
        cluster = shape().builder()
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "200").start();
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
        TopicPartition tp = new TopicPartition(topic, 0);
        assertEquals(RawTransactions.COMMITTED, IsolatedReads.readAll(cluster, tp, "read_committed"));
        assertEquals(RawTransactions.ALL, IsolatedReads.readAll(cluster, tp, "read_uncommitted"));
    }

    @Test
    void aReadCommittedConsumerWaitsAtAnOpenTransactionAndMovesOnAfterItsMarker() throws Exception {
        String topic = "txn-lso";
        cluster.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        plainSend(topic, "before");
        try (RawTransactions txns = new RawTransactions(leaderAddress(topic));
             KafkaConsumer<byte[], byte[]> consumer = IsolatedReads.consumer(cluster, "read_committed")) {
            long producerId = txns.newProducerId();
            long txnStart = txns.send(topic, 0, producerId, 0, "in-txn");
            plainSend(topic, "after");
            assertEquals(txnStart, IsolatedReads.latest(admin, tp, IsolationLevel.READ_COMMITTED),
                    "latest read_committed: the LSO");
            assertEquals(txnStart + 2, IsolatedReads.latest(admin, tp, IsolationLevel.READ_UNCOMMITTED),
                    "latest read_uncommitted: the high watermark");

            ProducerState open = producer(tp, producerId);
            assertEquals(txnStart, open.currentTransactionStartOffset().orElse(-1), "open transaction's start");
            assertEquals(0, open.producerEpoch());
            assertEquals(0, open.lastSequence());

            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            Await.awaitCondition(WAIT, () -> {
                IsolatedReads.poll(consumer, seen);
                return consumer.position(tp) == txnStart;
            }, "the read_committed consumer reaches the open transaction");
            IsolatedReads.poll(consumer, seen);
            assertEquals(List.of("before"), seen, "nothing at or after the open transaction");
            assertEquals(txnStart, consumer.position(tp));

            assertEquals(Errors.NONE, txns.marker(topic, 0, producerId, (short) 0, 7, true));
            Await.awaitCondition(WAIT, () -> {
                IsolatedReads.poll(consumer, seen);
                return seen.size() == 3;
            }, "the consumer reads on once the transaction committed: " + seen);
            assertEquals(List.of("before", "in-txn", "after"), seen);
            long end = txnStart + 3;
            assertEquals(end, IsolatedReads.latest(admin, tp, IsolationLevel.READ_COMMITTED),
                    "the LSO passed the marker");
            assertEquals(end, IsolatedReads.latest(admin, tp, IsolationLevel.READ_UNCOMMITTED));

            ProducerState ended = producer(tp, producerId);
            assertTrue(ended.currentTransactionStartOffset().isEmpty(), "no open transaction");
            assertEquals(7, ended.coordinatorEpoch().orElse(-1), "the marker's coordinator epoch");
        }
    }

    @Test
    void aTransactionLeftOpenPastItsTimeoutIsAbortedAndReadCommittedConsumersMoveOn() throws Exception {
        String topic = "txn-timeout";
        cluster.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stalled-" + shape());
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "1000");
        try (KafkaProducer<byte[], byte[]> stalled = cluster.producer(props);
             KafkaConsumer<byte[], byte[]> consumer = IsolatedReads.consumer(cluster, "read_committed")) {
            stalled.initTransactions();
            stalled.beginTransaction();
            long txnStart = stalled.send(new ProducerRecord<>(topic, 0, null, "stalled".getBytes())).get().offset();
            plainSend(topic, "after");
            // The producer neither commits nor aborts: only the coordinator's timeout can end the transaction.
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            Await.awaitCondition(WAIT, () -> {
                IsolatedReads.poll(consumer, seen);
                return !seen.isEmpty();
            }, "the read_committed consumer moves past the timed-out transaction");
            assertEquals(List.of("after"), seen, "the stalled record is aborted, the later one read");
            assertEquals(txnStart + 3, IsolatedReads.latest(admin, tp, IsolationLevel.READ_COMMITTED),
                    "the LSO passed the abort marker");
            assertEquals(List.of("stalled", "after"), IsolatedReads.readAll(cluster, tp, "read_uncommitted"));
        }
    }

    @Test
    void aReadCommittedFetchParkedAtAnOpenTransactionWaitsForItsMarkerNotForOtherRecords() throws Exception {
        String topic = "txn-parked";
        cluster.createTopic(topic, 1);
        try (RawTransactions txns = new RawTransactions(leaderAddress(topic));
             RawTransactions reader = new RawTransactions(leaderAddress(topic))) {
            long producerId = txns.newProducerId();
            long txnStart = txns.send(topic, 0, producerId, 0, "in-txn");
            CompletableFuture<List<String>> fetched = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.fetchCommitted(topic, 0, txnStart, 60_000);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // Committed records above the LSO: nothing a read_committed fetch may return yet.
            for (int i = 0; i < 5; i++) {
                txns.sendPlain(topic, 0, "plain-" + i);
            }
            assertEquals(Errors.NONE, txns.marker(topic, 0, producerId, (short) 0, 0, true));
            List<String> values = fetched.get(60, TimeUnit.SECONDS);
            assertTrue(!values.isEmpty() && values.get(0).equals("in-txn"),
                    "the parked fetch is answered with the committed transaction, not before: " + values);
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
        assertEquals(List.of(), IsolatedReads.readAll(cluster, new TopicPartition(topic, 0), "read_committed"));
    }

    private String leaderAddress(String topic) throws Exception {
        return RawTransactions.leaderAddress(cluster, admin, topic);
    }

    private void plainSend(String topic, String value) throws Exception {
        IsolatedReads.sendPlain(cluster, topic, value);
    }

    private ProducerState producer(TopicPartition tp, long producerId) throws Exception {
        return admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers().stream()
                .filter(p -> p.producerId() == producerId).findFirst().orElseThrow();
    }
}
