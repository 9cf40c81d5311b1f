package io.runnel.it.transactions;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.runnel.it.RunnelCluster;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On three nodes the transaction coordinator is the leader of the id's {@code __transaction_state} partition (one
 * partition, three replicas, min.insync.replicas 2): when that node stops, the partition's new leader loads the state
 * and serves it, so a new producer of the id gets the next epoch of the same producer id and the old one is fenced.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TransactionCoordinatorThreeNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "txn-three";
    private static final String ID = "moving";
    private RunnelCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = RunnelCluster.builder().nodes(3)
                .brokerProperty("transaction.state.log.num.partitions", "1")
                .brokerProperty("transaction.state.log.min.isr", "2")
                // the zombie's batch must still find a leader once the coordinator's node stops: under transaction
                // protocol v2 the partition's leader is who asks the coordinator, and fences it
                .brokerProperty("default.replication.factor", "3")
                .start();
        cluster.createTopic(TOPIC, 1);
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theCoordinatorMovesWithItsPartitionsLeadership() throws Exception {
        try (Admin admin = cluster.admin();
             KafkaProducer<byte[], byte[]> first = transactional()) {
            first.initTransactions();
            TransactionDescription before = admin.describeTransactions(List.of(ID)).description(ID).get();
            assertEquals(0, before.producerEpoch());
            int coordinator = before.coordinatorId();

            cluster.stop(coordinator);
            try (KafkaProducer<byte[], byte[]> second = transactional()) {
                second.initTransactions();
                TransactionDescription[] after = new TransactionDescription[1];
                awaitCondition(WAIT, () -> (after[0] = describe(admin)) != null, "the new coordinator describes " + ID);
                assertNotEquals(coordinator, after[0].coordinatorId(), "another node coordinates " + ID);
                assertEquals(before.producerId(), after[0].producerId(), "the state was loaded from the partition");
                assertEquals(1, after[0].producerEpoch(), "the epoch bumped from the replicated one");

                first.beginTransaction();
                first.send(new ProducerRecord<>(TOPIC, 0, null, "zombie".getBytes()));
                TransactionCoordinatorTest.assertZombieFenced(first);
            }
        }
    }

    /** The description, or null while the Admin client still finds no coordinator. */
    private static TransactionDescription describe(Admin admin) {
        try {
            return admin.describeTransactions(List.of(ID)).description(ID).get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private KafkaProducer<byte[], byte[]> transactional() {
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ID);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        return cluster.producer(props);
    }
}
