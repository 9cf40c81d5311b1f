package io.runnel.it.transactions;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.RunnelCluster;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transaction coordinator with kafka-clients on one node: transactional producers initialize (FindCoordinator and
 * InitProducerId with a transactional id), a second producer of the same transactional id fences the first, a timeout
 * above transaction.max.timeout.ms is refused, a transaction left open past its timeout is aborted with its producer
 * fenced, Admin.fenceProducers fences a producer and aborts its open transaction, and the Admin client describes and
 * lists the transactions.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TransactionCoordinatorTest {
    private static final String TOPIC = "txn-coordinator";
    private static RunnelCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().brokerProperty("transaction.state.log.num.partitions", "3")
                .brokerProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "200").start();
        cluster.createTopic(TOPIC, 2);
        admin = cluster.admin();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTransactionalProducerInitializesAndIsDescribed() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = transactional("init", 60_000)) {
            producer.initTransactions();
            TransactionDescription description = admin.describeTransactions(List.of("init")).description("init").get();
            assertEquals(TransactionState.EMPTY, description.state());
            assertEquals(0, description.producerEpoch());
            assertEquals(60_000, description.transactionTimeoutMs());
            assertEquals(cluster.nodeIds().get(0), description.coordinatorId());
        }
    }

    @Test
    void theTransactionStateTopicIsCreatedCompactedWithTheConfiguredSettings() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = transactional("topic-check", 60_000)) {
            producer.initTransactions();
        }
        String name = "__transaction_state";
        assertEquals(3, admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().size(),
                "transaction.state.log.num.partitions");
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertEquals("compact", config.get("cleanup.policy").value());
        assertEquals("1", config.get("min.insync.replicas").value(), "transaction.state.log.min.isr of the test cluster");
        assertEquals("104857600", config.get("segment.bytes").value(), "transaction.state.log.segment.bytes");
    }

    @Test
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirst() throws Exception {
        try (KafkaProducer<byte[], byte[]> first = transactional("zombie", 60_000);
             KafkaProducer<byte[], byte[]> second = transactional("zombie", 60_000)) {
            first.initTransactions();
            long producerId = admin.describeTransactions(List.of("zombie")).description("zombie").get().producerId();
            second.initTransactions();
            TransactionDescription afterSecond = admin.describeTransactions(List.of("zombie")).description("zombie").get();
            assertEquals(producerId, afterSecond.producerId(), "the same producer id");
            assertEquals(1, afterSecond.producerEpoch(), "the second producer's epoch");

            first.beginTransaction();
            first.send(new ProducerRecord<>(TOPIC, 0, null, "zombie".getBytes()));
            assertZombieFenced(first);
        }
    }

    /**
     * A fenced producer's transaction fails: under transaction protocol v2 its batch is refused by the partition
     * leader, whose coordinator answered PRODUCER_FENCED (INVALID_PRODUCER_EPOCH to a producer, as Kafka answers),
     * and ending the transaction is refused PRODUCER_FENCED by the coordinator.
     */
    static void assertZombieFenced(KafkaProducer<byte[], byte[]> zombie) {
        KafkaException e = assertThrows(KafkaException.class, zombie::commitTransaction);
        assertTrue(causedBy(e, ProducerFencedException.class) || causedBy(e, InvalidProducerEpochException.class),
                "the zombie's transaction fails: " + e);
        if (!causedBy(e, ProducerFencedException.class)) {
            KafkaException abort = assertThrows(KafkaException.class, zombie::abortTransaction);
            assertTrue(causedBy(abort, ProducerFencedException.class), "the zombie is fenced: " + abort);
        }
    }

    /**
     * Kafka Connect's exactly-once source workers fence their tasks' producers this way (KIP-618): an InitProducerId
     * without a producer id, which aborts the open transaction and bumps the epoch.
     */
    @Test
    void adminFenceProducersFencesTheProducerAndAbortsItsOpenTransaction() throws Exception {
        cluster.createTopic("txn-fenced", 1);
        TopicPartition tp = new TopicPartition("txn-fenced", 0);
        try (KafkaProducer<byte[], byte[]> zombie = transactional("fenced-by-admin", 60_000)) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(tp.topic(), 0, null, "zombie".getBytes()));
            zombie.flush();
            TransactionDescription open = describe("fenced-by-admin");

            admin.fenceProducers(List.of("fenced-by-admin")).all().get(60, TimeUnit.SECONDS);
            TransactionDescription fenced = describe("fenced-by-admin");
            assertEquals(open.producerId(), fenced.producerId(), "the same producer id");
            assertTrue(fenced.producerEpoch() > open.producerEpoch(), "a bumped epoch: " + fenced.producerEpoch());
            assertTrue(Set.of(TransactionState.EMPTY, TransactionState.COMPLETE_ABORT).contains(fenced.state()),
                    "no transaction open: " + fenced.state());
            IsolatedReads.awaitStable(admin, tp);
            assertEquals(List.of(), IsolatedReads.readAll(cluster, tp, "read_committed"), "the transaction aborted");
            KafkaException e = assertThrows(KafkaException.class, zombie::commitTransaction);
            assertTrue(causedBy(e, ProducerFencedException.class), "the producer is fenced: " + e);
        }
    }

    @Test
    void aTimeoutAboveTheMaximumIsRefused() {
        try (KafkaProducer<byte[], byte[]> producer = transactional("too-long", 900_001)) {
            // kafka-clients reports this error as an unexpected one, with the error's own message.
            KafkaException e = assertThrows(KafkaException.class, producer::initTransactions);
            assertTrue(e.getMessage().contains(Errors.INVALID_TRANSACTION_TIMEOUT.message()), "refused: " + e);
        }
    }

    @Test
    void theAdminClientDescribesAndListsAnOpenTransaction() throws Exception {
        try (KafkaProducer<byte[], byte[]> open = transactional("open", 60_000);
             KafkaProducer<byte[], byte[]> idle = transactional("idle", 60_000)) {
            open.initTransactions();
            idle.initTransactions();
            open.beginTransaction();
            open.send(new ProducerRecord<>(TOPIC, 1, null, "open".getBytes()));
            open.flush();

            TransactionDescription description = admin.describeTransactions(List.of("open")).description("open").get();
            assertEquals(TransactionState.ONGOING, description.state());
            assertEquals(Set.of(new TopicPartition(TOPIC, 1)), description.topicPartitions());
            assertTrue(description.transactionStartTimeMs().isPresent(), "an open transaction has a start time");

            assertTrue(listed(new ListTransactionsOptions()).containsAll(Set.of("open", "idle")));
            assertEquals(Set.of("open"), listed(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                    .stream().filter(id -> id.equals("open") || id.equals("idle")).collect(java.util.stream.Collectors.toSet()));
            assertEquals(Set.of("open"), listed(new ListTransactionsOptions().filterProducerIds(Set.of(description.producerId()))));
            assertFalse(listed(new ListTransactionsOptions().filterOnDuration(3_600_000)).contains("open"),
                    "not open for an hour");
        }
    }

    @Test
    void aTransactionOpenLongerThanItsTimeoutIsAbortedAndItsProducerFenced() throws Exception {
        try (KafkaProducer<byte[], byte[]> stalled = transactional("stalled", 1_000)) {
            stalled.initTransactions();
            stalled.beginTransaction();
            stalled.send(new ProducerRecord<>(TOPIC, 0, null, "stalled".getBytes()));
            stalled.flush();
            // The abort is decided (PrepareAbort) and completes once the partition leader has its marker.
            TransactionDescription[] aborted = new TransactionDescription[1];
            awaitCondition(Duration.ofSeconds(60), () -> {
                aborted[0] = describe("stalled");
                return aborted[0].state() == TransactionState.PREPARE_ABORT
                        || aborted[0].state() == TransactionState.COMPLETE_ABORT;
            }, "the timed-out transaction is aborted");
            assertEquals(1, aborted[0].producerEpoch(), "aborted with a bumped epoch");
            KafkaException e = assertThrows(KafkaException.class, stalled::commitTransaction);
            assertTrue(causedBy(e, ProducerFencedException.class), "the stalled producer is fenced: " + e);
        }
    }

    private static TransactionDescription describe(String transactionalId) {
        try {
            return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> listed(ListTransactionsOptions options) throws Exception {
        return admin.listTransactions(options).all().get().stream().map(TransactionListing::transactionalId)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static KafkaProducer<byte[], byte[]> transactional(String transactionalId, int timeoutMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(timeoutMs));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        return cluster.producer(props);
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
