package io.runnel.it.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import io.runnel.tools.Runnel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code runnel transactions} against a real broker, kafka-transactions.sh's workflow: a hanging transaction (a
 * producer that wrote to a partition without its coordinator knowing, made on the wire) holds read_committed consumers
 * back; {@code find-hanging} finds it, {@code abort --start-offset} ends it through Admin's WriteTxnMarkers, and the
 * last stable offset moves on. A live transactional producer is listed and described, and is not taken for hanging.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private RunnelCluster cluster;
    private Admin admin;

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

    private record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        /** The rows below the header, split on the tabs and padding Kafka's tool prints. */
        List<String[]> rows() {
            return out.lines().skip(1).map(l -> l.trim().split("\\s*\t\\s*")).toList();
        }
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 3];
        full[0] = "transactions";
        full[1] = "--bootstrap-server";
        full[2] = cluster.bootstrapServers();
        System.arraycopy(args, 0, full, 3, args.length);
        int exitCode = Runnel.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(full);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private Result ok(String... args) {
        Result result = run(args);
        assertEquals(0, result.exitCode(), Arrays.toString(args) + ": " + result.err());
        return result;
    }

    @Test
    void findHangingFindsAWireMadeHangingTransactionAndAbortLetsReadCommittedConsumersMoveOn() throws Exception {
        String topic = "hanging";
        cluster.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        int leader = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0)
                .leader().id();
        plainSend(topic, "before");
        long producerId;
        long start;
        try (RawTransactions txns = new RawTransactions(RawTransactions.leaderAddress(cluster, admin, topic))) {
            producerId = txns.newProducerId();
            start = txns.send(topic, 0, producerId, 0, "never-ended");
        }
        plainSend(topic, "after");
        assertEquals(start, IsolatedReads.latest(admin, tp, IsolationLevel.READ_COMMITTED), "held at the LSO");

        Result producers = ok("describe-producers", "--topic", topic, "--partition", "0");
        assertEquals("ProducerId\tProducerEpoch\tLatestCoordinatorEpoch\tLastSequence\tLastTimestamp\t"
                + "CurrentTransactionStartOffset\t", producers.lines().get(0).replaceAll(" +\t", "\t"));
        String[] row = producers.rows().stream().filter(r -> r[0].equals(Long.toString(producerId))).findFirst()
                .orElseThrow(() -> new AssertionError(producers.out()));
        assertEquals(List.of(Long.toString(producerId), "0", "-1", "0"), List.of(row).subList(0, 4));
        assertEquals(Long.toString(start), row[5]);
        for (int node : cluster.nodeIds()) {
            // every replica, follower too, answers from its own log (acks=all wrote the batch to each)
            Result onReplica = ok("describe-producers", "--topic", topic, "--partition", "0", "--broker-id",
                    Integer.toString(node));
            assertTrue(onReplica.rows().stream().anyMatch(r -> r[0].equals(Long.toString(producerId))
                    && r[5].equals(Long.toString(start))), "broker " + node + ": " + onReplica.out());
        }

        for (String[] scope : List.of(new String[] {"--topic", topic}, new String[] {"--topic", topic,
                "--partition", "0"}, new String[] {"--broker-id", Integer.toString(leader)})) {
            List<String> args = new ArrayList<>(List.of("find-hanging", "--max-transaction-timeout", "0"));
            args.addAll(List.of(scope));
            Result hanging = ok(args.toArray(String[]::new));
            assertEquals("Topic\tPartition\tProducerId\tProducerEpoch\tCoordinatorEpoch\tStartOffset\tLastTimestamp\t"
                    + "Duration(min)\t", hanging.lines().get(0).replaceAll(" +\t", "\t"));
            assertEquals(1, hanging.rows().size(), hanging.out());
            assertEquals(List.of(topic, "0", Long.toString(producerId), "0", "-1", Long.toString(start)),
                    List.of(hanging.rows().get(0)).subList(0, 6), Arrays.toString(scope));
        }
        assertEquals(1, ok("find-hanging", "--topic", topic).lines().size(),
                "not open for longer than the default 15 minutes: the header only");

        try (KafkaConsumer<byte[], byte[]> consumer = IsolatedReads.consumer(cluster, "read_committed")) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            Await.awaitCondition(WAIT, () -> {
                IsolatedReads.poll(consumer, seen);
                return consumer.position(tp) == start;
            }, "the read_committed consumer reaches the hanging transaction");
            assertEquals(List.of("before"), seen);

            Result missing = run("abort", "--topic", topic, "--partition", "0", "--start-offset",
                    Long.toString(start + 1));
            assertEquals(1, missing.exitCode());
            assertEquals("Could not find any open transactions starting at offset " + (start + 1) + " on partition "
                    + tp + "\n", missing.err());

            assertEquals("", ok("abort", "--topic", topic, "--partition", "0", "--start-offset",
                    Long.toString(start)).out());
            Await.awaitCondition(WAIT, () -> {
                IsolatedReads.poll(consumer, seen);
                return seen.size() == 2;
            }, "the consumer reads on once the transaction is aborted: " + seen);
            assertEquals(List.of("before", "after"), seen);
        }
        assertEquals(start + 3, IsolatedReads.latest(admin, tp, IsolationLevel.READ_COMMITTED),
                "the LSO passed the abort marker");
        assertEquals(1, ok("find-hanging", "--topic", topic, "--max-transaction-timeout", "0").lines().size());
    }

    @Test
    void aLiveTransactionIsListedAndDescribedAndNotHanging() throws Exception {
        String topic = "live";
        cluster.createTopic(topic, 1);
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tool-txn");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, "open".getBytes(StandardCharsets.UTF_8))).get();

            Result list = ok("list");
            assertEquals("TransactionalId\tCoordinator\tProducerId\tTransactionState\t",
                    list.lines().get(0).replaceAll(" +\t", "\t"));
            String[] listed = list.rows().stream().filter(r -> r[0].equals("tool-txn")).findFirst()
                    .orElseThrow(() -> new AssertionError(list.out()));
            assertEquals("Ongoing", listed[3]);
            String producerId = listed[2];
            assertTrue(ok("list", "--transactional-id-pattern", "tool-.*").rows().stream()
                    .anyMatch(r -> r[0].equals("tool-txn")));
            assertEquals(1, ok("list", "--transactional-id-pattern", "nobody.*").lines().size(), "the header only");
            assertTrue(ok("list", "--duration-filter", "3600000").rows().stream()
                    .noneMatch(r -> r[0].equals("tool-txn")), "not running for an hour yet");

            Result describe = ok("describe", "--transactional-id", "tool-txn");
            assertEquals("CoordinatorId\tTransactionalId\tProducerId\tProducerEpoch\tTransactionState\t"
                    + "TransactionTimeoutMs\tCurrentTransactionStartTimeMs\tTransactionDurationMs\tTopicPartitions\t",
                    describe.lines().get(0).replaceAll(" +\t", "\t"));
            String[] described = describe.rows().get(0);
            assertEquals(List.of(listed[1], "tool-txn", producerId), List.of(described).subList(0, 3));
            assertEquals(List.of("Ongoing", "60000"), List.of(described).subList(4, 6));
            assertEquals(topic + "-0", described[8]);

            assertEquals(1, ok("find-hanging", "--topic", topic, "--max-transaction-timeout", "0").lines().size(),
                    "its coordinator counts the partition in the transaction: not hanging");

            producer.commitTransaction();
            Await.awaitCondition(WAIT, () -> ok("describe", "--transactional-id", "tool-txn").rows().get(0)[4]
                    .equals("CompleteCommit"), "the transaction completes");
        }
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "idle-txn");
        try (KafkaProducer<byte[], byte[]> idle = cluster.producer(props)) {
            idle.initTransactions();
            String[] cells = ok("describe", "--transactional-id", "idle-txn").out().lines().skip(1).findFirst()
                    .orElseThrow().split("\t", -1);
            assertEquals(List.of("Empty", "60000", "None", "None", ""),
                    Arrays.stream(cells).skip(4).limit(5).map(String::trim).toList(), "no transaction yet");
        }

        Result unknown = run("describe", "--transactional-id", "nobody");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().startsWith("Failed to describe transaction state of transactional-id `nobody`: "),
                unknown.err());
    }

    /**
     * {@code forceTerminateTransaction} fences a producer that stopped inside a transaction: its transaction is
     * aborted, read_committed consumers move past it, and the producer can no longer commit.
     */
    @Test
    void forceTerminateAbortsTheOpenTransactionOfATransactionalId() throws Exception {
        String topic = "force-terminated";
        cluster.createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stuck-txn");
        try (KafkaProducer<byte[], byte[]> stuck = cluster.producer(props)) {
            stuck.initTransactions();
            stuck.beginTransaction();
            stuck.send(new ProducerRecord<>(topic, 0, null, "stuck".getBytes(StandardCharsets.UTF_8))).get();
            long end = IsolatedReads.latest(admin, tp, IsolationLevel.READ_UNCOMMITTED);
            assertEquals(0, IsolatedReads.latest(admin, tp, IsolationLevel.READ_COMMITTED), "held by the open one");

            ok("forceTerminateTransaction", "--transactionalId", "stuck-txn");
            // answered once the transaction is aborted and the epoch bumped past the producer's
            String[] described = ok("describe", "--transactional-id", "stuck-txn").rows().get(0);
            assertEquals("Empty", described[4], "state");
            assertTrue(Integer.parseInt(described[3]) > 0, "epoch bumped past the producer's 0: " + described[3]);
            IsolatedReads.awaitStable(admin, tp);
            assertTrue(IsolatedReads.latest(admin, tp, IsolationLevel.READ_COMMITTED) > end, "past the abort");
            assertEquals(List.of(), IsolatedReads.readAll(cluster, tp, "read_committed"), "nothing committed");
            TransactionCoordinatorTest.assertZombieFenced(stuck);
        }
    }

    private void plainSend(String topic, String value) throws Exception {
        IsolatedReads.sendPlain(cluster, topic, value);
    }
}
