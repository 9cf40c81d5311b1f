package io.runnel.it.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The course's transactional producer with kafka-clients: one transaction of 100 records over two topics committed,
 * the next aborted; a {@code read_committed} consumer reads exactly the committed records in order, a
 * {@code read_uncommitted} one both transactions.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsTest {
    private static final List<String> TOPICS = List.of("orders", "payments");
    private static final int COMMITTED = 100;
    private static final int ABORTED = 30;
    private RunnelCluster cluster;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().start();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(TOPICS.stream().map(t -> new NewTopic(t, 1, shape().replicationFactor())).toList())
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCommittedTransactionOverTwoTopicsIsReadAndAnAbortedOneIsNot() {
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "course-producer");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < COMMITTED; i++) {
                producer.send(record(TOPICS.get(i % 2), "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < ABORTED; i++) {
                producer.send(record(TOPICS.get(i % 2), "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
        }
        for (int t = 0; t < TOPICS.size(); t++) {
            TopicPartition tp = new TopicPartition(TOPICS.get(t), 0);
            List<String> committed = values("committed", COMMITTED, t);
            assertEquals(committed, IsolatedReads.readStable(cluster, tp), tp + " read_committed");
            List<String> all = new ArrayList<>(committed);
            all.addAll(values("aborted", ABORTED, t));
            assertEquals(all, IsolatedReads.readAll(cluster, tp, "read_uncommitted"), tp + " read_uncommitted");
        }
    }

    /**
     * kafka-clients 4.4 sees {@code transaction.version} 2 finalized and follows KIP-890's protocol: it sends no
     * AddPartitionsToTxn (the partition leader adds the partition) and each EndTxn bumps its epoch, which the markers
     * carry to the partition. Under the original protocol the epochs would not move.
     */
    @Test
    void kafkaClientsFollowTransactionProtocolV2() throws Exception {
        String topic = "protocol-v2";
        TopicPartition tp = new TopicPartition(topic, 0);
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "protocol-v2-producer");
        try (Admin admin = cluster.admin(); KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, shape().replicationFactor()))).all()
                    .get(60, TimeUnit.SECONDS);
            producer.initTransactions();
            TransactionDescription initialized = admin.describeTransactions(List.of("protocol-v2-producer"))
                    .description("protocol-v2-producer").get();
            for (int i = 0; i < 3; i++) {
                producer.beginTransaction();
                producer.send(record(topic, "v" + i));
                producer.commitTransaction();
            }
            int ended = initialized.producerEpoch() + 3;
            assertEquals(List.of("v0", "v1", "v2"), IsolatedReads.readStable(cluster, tp), "read_committed");
            assertEquals(ended, admin.describeTransactions(List.of("protocol-v2-producer"))
                    .description("protocol-v2-producer").get().producerEpoch(), "the coordinator's epoch");
            ProducerState atPartition = admin.describeProducers(List.of(tp)).partitionResult(tp).get()
                    .activeProducers().stream().filter(p -> p.producerId() == initialized.producerId())
                    .findFirst().orElseThrow();
            assertEquals(ended, atPartition.producerEpoch(), "the last marker's epoch at the partition");
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The values sent to the topic at {@code topicIndex}: every other record, starting there. */
    private static List<String> values(String prefix, int count, int topicIndex) {
        List<String> values = new ArrayList<>();
        for (int i = topicIndex; i < count; i += 2) {
            values.add(prefix + "-" + i);
        }
        return values;
    }
}
