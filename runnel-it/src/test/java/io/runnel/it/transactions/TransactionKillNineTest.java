package io.runnel.it.transactions;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.KafkaEndpoint;
import io.runnel.it.RunnelProcess;
import io.runnel.it.RunnelProcessCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broker processes killed with SIGKILL while transactions are committed, aborted and open, then restarted: the
 * coordinator's state (read back from {@code __transaction_state}), the last stable offset (the open transaction's
 * producer state, recovered from the log and its snapshots) and the markers are as before the kill. The open
 * transaction is aborted when its producer comes back, and read_committed consumers then read past it.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class TransactionKillNineTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "txn-kill";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final List<String> COMMITTED = values("committed", 10);
    private static final List<String> ABORTED = values("aborted", 5);
    private static final List<String> OPEN = values("open", 5);

    @Test
    void aNodeKilledWithTransactionsCommittedAbortedAndOpen() throws Exception {
        try (RunnelProcess broker = RunnelProcess.start(Map.of())) {
            broker.createTopic(TOPIC, 1);
            long openStart = writeTransactions(broker);

            broker.kill9();
            broker.start();

            assertRecovered(broker, openStart);
        }
    }

    @Test
    void thePartitionLeaderThenTheTransactionCoordinatorKilledOnThreeNodes() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3,
                Map.of("default.replication.factor", "3", "min.insync.replicas", "2"))) {
            cluster.createTopic(TOPIC, 1);
            long openStart = writeTransactions(cluster);
            try (Admin admin = ClusterAdmin.admin(cluster)) {
                int leader = leaderOf(admin);
                cluster.node(leader).kill9();
                Await.awaitCondition(WAIT, () -> {
                    TopicDescription topic = ClusterAdmin.describeOrNull(admin, TOPIC);
                    return topic != null && topic.partitions().get(0).leader() != null
                            && topic.partitions().get(0).leader().id() != leader;
                }, "another replica leads " + TP);
                assertEquals(openStart, IsolatedReads.latest(admin, TP, IsolationLevel.READ_COMMITTED),
                        "the new leader holds the last stable offset at the open transaction it replicated");
                cluster.node(leader).start();

                int coordinator = get(admin.describeTransactions(List.of("open")).description("open")).coordinatorId();
                cluster.node(coordinator).kill9();
                cluster.node(coordinator).start();
            }
            assertRecovered(cluster, openStart);
        }
    }

    /**
     * Commits {@link #COMMITTED}, aborts {@link #ABORTED} and leaves {@link #OPEN} open, each by its own
     * transactional producer; returns the open transaction's first offset.
     */
    private static long writeTransactions(KafkaEndpoint cluster) throws Exception {
        try (KafkaProducer<byte[], byte[]> committer = transactional(cluster, "committed");
             KafkaProducer<byte[], byte[]> aborter = transactional(cluster, "aborted")) {
            committer.initTransactions();
            committer.beginTransaction();
            COMMITTED.forEach(value -> committer.send(record(value)));
            committer.commitTransaction();
            aborter.initTransactions();
            aborter.beginTransaction();
            ABORTED.forEach(value -> aborter.send(record(value)));
            aborter.flush();
            aborter.abortTransaction();
        }
        KafkaProducer<byte[], byte[]> opener = transactional(cluster, "open");
        try {
            opener.initTransactions();
            opener.beginTransaction();
            List<Future<RecordMetadata>> sent = OPEN.stream().map(value -> opener.send(record(value))).toList();
            opener.flush();
            return get(sent.get(0)).offset();
        } finally {
            // A forced close neither commits nor aborts: the transaction stays open on the brokers.
            opener.close(Duration.ZERO);
        }
    }

    private static void assertRecovered(KafkaEndpoint cluster, long openStart) throws Exception {
        try (Admin admin = ClusterAdmin.admin(cluster)) {
            assertEquals(openStart, IsolatedReads.latest(admin, TP, IsolationLevel.READ_COMMITTED),
                    "the open transaction still holds the last stable offset");
            // A coordinator that loads a transaction it had prepared writes its markers again, then completes it.
            Await.awaitCondition(WAIT, () -> state(admin, "committed") == TransactionState.COMPLETE_COMMIT,
                    "the committed transaction completes");
            Await.awaitCondition(WAIT, () -> state(admin, "aborted") == TransactionState.COMPLETE_ABORT,
                    "the aborted transaction completes");
            assertEquals(TransactionState.ONGOING, state(admin, "open"));
        }
        assertEquals(COMMITTED, IsolatedReads.readAll(cluster, TP, "read_committed"));

        // The open transaction's producer comes back: its coordinator aborts the transaction before the new epoch.
        try (KafkaProducer<byte[], byte[]> returning = transactional(cluster, "open")) {
            returning.initTransactions();
            returning.beginTransaction();
            returning.send(record("after"));
            returning.commitTransaction();
        }
        List<String> committed = new ArrayList<>(COMMITTED);
        committed.add("after");
        assertEquals(committed, IsolatedReads.readStable(cluster, TP));
        List<String> everything = new ArrayList<>(COMMITTED);
        everything.addAll(ABORTED);
        everything.addAll(OPEN);
        everything.add("after");
        assertEquals(everything, IsolatedReads.readAll(cluster, TP, "read_uncommitted"));
    }

    private static TransactionState state(Admin admin, String transactionalId) {
        return get(admin.describeTransactions(List.of(transactionalId)).description(transactionalId)).state();
    }

    private static int leaderOf(Admin admin) {
        TopicDescription topic = ClusterAdmin.describeOrNull(admin, TOPIC);
        assertNotNull(topic, TOPIC + " is described");
        assertNotNull(topic.partitions().get(0).leader(), TP + " has a leader");
        return topic.partitions().get(0).leader().id();
    }

    private static KafkaProducer<byte[], byte[]> transactional(KafkaEndpoint cluster, String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // Longer than the kills and restarts take: no timeout abort may stand in for the recovery under test.
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000");
        return cluster.producer(props);
    }

    private static ProducerRecord<byte[], byte[]> record(String value) {
        return new ProducerRecord<>(TOPIC, 0, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }
}
