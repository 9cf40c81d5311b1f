package io.runnel.it.retention;

import static io.runnel.it.Futures.get;
import static io.runnel.it.retention.PartitionContent.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import io.runnel.it.transactions.IsolatedReads;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Compaction through a real producer and consumer: the course's example, exactly. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompactionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private RunnelCluster cluster;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().brokerProperty("log.segment.bytes", "1024")
                .brokerProperty("log.cleaner.backoff.ms", "100")
                .brokerProperty("log.cleaner.dedupe.buffer.size", Integer.toString(1 << 20)).start();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void theCourseExampleCompactsToTheLastValuePerKeyAtItsOffset() {
        String topic = "course-compacted";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = cluster.admin(); KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            get(admin.createTopics(List.of(new NewTopic(topic, 1, shape().replicationFactor()).configs(Map.of(
                    "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01")))).all());
            String[] keyValues = {"K0", "0", "K1", "6", "K2", "3", "K3", "2", "K4", "2", "K4", "1", "K5", "3", "K1", "2"};
            for (int i = 0; i < keyValues.length; i += 2) {
                get(producer.send(new ProducerRecord<>(topic, 0, utf8(keyValues[i]), utf8(keyValues[i + 1]))));
            }
            // too large for the segment's remaining room: it rolls, closing the segment holding offsets 0 to 7
            String filler = "f".repeat(900);
            get(producer.send(new ProducerRecord<>(topic, 0, utf8("filler"), utf8(filler))));

            List<String> expected = List.of("0:K0:0", "2:K2:3", "3:K3:2", "5:K4:1", "6:K5:3", "7:K1:2",
                    "8:filler:" + filler);
            Await.awaitCondition(TIMEOUT, () -> PartitionContent.read(cluster, tp).equals(expected),
                    "the consumer reads the compacted log");
            assertEquals(expected, PartitionContent.read(cluster, tp));
            // Every replica runs its own cleaner: each copy is compacted, not only the leader's.
            for (int node : cluster.nodeIds()) {
                Await.awaitCondition(TIMEOUT, () -> expected.equals(PartitionContent.readReplica(cluster, node, tp)),
                        "node " + node + "'s replica is compacted");
            }
        }
    }

    @Test
    void theCleanerRemovesAnAbortedTransactionAndKeepsTheCommittedOnesLatestValues() {
        String topic = "compacted-transactions";
        TopicPartition tp = new TopicPartition(topic, 0);
        Properties transactional = new Properties();
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "compacted-txn");
        try (Admin admin = cluster.admin(); KafkaProducer<byte[], byte[]> producer = cluster.producer(transactional);
             KafkaProducer<byte[], byte[]> plain = cluster.producer(new Properties())) {
            get(admin.createTopics(List.of(new NewTopic(topic, 1, shape().replicationFactor()).configs(Map.of(
                    "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01")))).all());
            get(plain.send(new ProducerRecord<>(topic, 0, utf8("k2"), utf8("plain"))));
            producer.initTransactions();
            producer.beginTransaction();
            for (String key : List.of("k1", "k2", "k3")) {
                producer.send(new ProducerRecord<>(topic, 0, utf8(key), utf8("aborted")));
            }
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, utf8("k1"), utf8("committed")));
            producer.commitTransaction();
            // the commit marker must come before the filler, whose offset the expected content names
            IsolatedReads.awaitStable(admin, tp);
            // too large for the segment's remaining room: it rolls, closing the segment holding the transactions
            String filler = "f".repeat(900);
            get(plain.send(new ProducerRecord<>(topic, 0, utf8("filler"), utf8(filler))));

            // offsets: k2=plain 0, the aborted transaction 1 to 3, its marker 4, k1=committed 5, its marker 6
            List<String> expected = List.of("0:k2:plain", "5:k1:committed", "7:filler:" + filler);
            Await.awaitCondition(TIMEOUT, () -> PartitionContent.read(cluster, tp).equals(expected),
                    "a read_uncommitted consumer reads the compacted log without the aborted transaction");
            Properties readCommitted = new Properties();
            readCommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            assertEquals(expected, PartitionContent.read(cluster, tp, readCommitted));
        }
    }

    @Test
    void recordsWithoutKeyAreRefusedWithInvalidRecord() {
        String topic = "keys-required";
        try (Admin admin = cluster.admin(); KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            get(admin.createTopics(List.of(new NewTopic(topic, 1, shape().replicationFactor()).configs(Map.of(
                    "cleanup.policy", "compact")))).all());
            Futures.assertFailsWith(InvalidRecordException.class,
                    producer.send(new ProducerRecord<>(topic, 0, null, utf8("no key"))));
            get(producer.send(new ProducerRecord<>(topic, 0, utf8("k"), utf8("keyed"))));
        }
    }
}
