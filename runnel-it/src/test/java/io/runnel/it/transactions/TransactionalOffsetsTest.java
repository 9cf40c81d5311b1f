package io.runnel.it.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
 * Consume-transform-produce with kafka-clients: a group member reads input, a transactional producer writes the
 * transformed records and the member's offsets in one transaction ({@code sendOffsetsToTransaction}). A commit moves
 * the group's committed offsets and publishes the output to read_committed consumers; an abort does neither; a
 * consumer of the group asking for its committed offsets waits while the transaction is open (kafka-clients asks with
 * require_stable, gets UNSTABLE_OFFSET_COMMIT and retries) while Admin sees no offset yet; and offsets of an open transaction survive a move of the group's offsets
 * partition (restart, or its leader stopping) and are applied by the commit marker written after the move.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionalOffsetsTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String INPUT = "ctp-input";
    private static final String OUTPUT = "ctp-output";
    private static final int RECORDS = 20;
    private final TopicPartition input = new TopicPartition(INPUT, 0);
    private final TopicPartition output = new TopicPartition(OUTPUT, 0);
    private RunnelCluster cluster;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().start();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(INPUT, 1, shape().replicationFactor()),
                    new NewTopic(OUTPUT, 1, shape().replicationFactor()))).all().get(60, TimeUnit.SECONDS);
        }
        Properties idempotent = new Properties();
        idempotent.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(idempotent)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(INPUT, 0, null, bytes("in-" + i)));
            }
            producer.flush();
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCommittedTransactionMovesTheGroupsOffsetsAndPublishesTheOutput() throws Exception {
        String group = "ctp-commit";
        try (KafkaConsumer<byte[], byte[]> consumer = member(group);
             KafkaProducer<byte[], byte[]> producer = transactional("ctp-commit-producer")) {
            producer.initTransactions();
            List<String> read = transform(consumer, producer, RECORDS);
            producer.commitTransaction();
            assertEquals(RECORDS, read.size());
        }
        // The commit marker reaches the group's offsets partition after EndTxn is answered.
        Await.awaitCondition(WAIT, () -> Long.valueOf(RECORDS).equals(committedOrNull(group)),
                "the group's offset moves to the end of the input");
        assertEquals(expectedOutputs(), stableOutputs("ctp-commit:"));
    }

    @Test
    void anAbortedTransactionLeavesTheOffsetsAndHidesTheOutput() throws Exception {
        String group = "ctp-abort";
        try (KafkaConsumer<byte[], byte[]> consumer = member(group);
             KafkaProducer<byte[], byte[]> producer = transactional("ctp-abort-producer")) {
            producer.initTransactions();
            transform(consumer, producer, RECORDS);
            producer.flush();
            producer.abortTransaction();
        }
        assertNull(committedOffset(group), "no offset committed by the aborted transaction");
        assertEquals(List.of(), stableOutputs("ctp-abort:"));
        List<String> allOutputs = IsolatedReads.readAll(cluster, output, "read_uncommitted");
        assertEquals(RECORDS, allOutputs.stream().filter(v -> v.startsWith("ctp-abort:")).count(),
                "the aborted output is in the log");
    }

    @Test
    void aReadCommittedConsumerWaitsForOffsetsOfAnOpenTransaction() throws Exception {
        String group = "ctp-unstable";
        try (KafkaProducer<byte[], byte[]> producer = transactional("ctp-unstable-producer");
             KafkaConsumer<byte[], byte[]> stable = member(group)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(7)), new ConsumerGroupMetadata(group));
            assertNull(committedOffset(group), "an offset of an open transaction is not committed yet");
            CompletableFuture<OffsetAndMetadata> waiting =
                    CompletableFuture.supplyAsync(() -> stable.committed(Set.of(input), WAIT).get(input));
            producer.commitTransaction();
            assertEquals(7, waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).offset(),
                    "the consumer retried until the transaction committed its offset");
        }
    }

    @Test
    void offsetsOfAnOpenTransactionSurviveAMoveOfTheOffsetsPartition() throws Exception {
        String group = "ctp-moving";
        try (KafkaProducer<byte[], byte[]> producer = transactional("ctp-moving-producer")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(OUTPUT, 0, null, bytes("ctp-moving:0")));
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(11)), new ConsumerGroupMetadata(group));
            Runnable moveBack = moveOffsetsPartition(group);
            try {
                producer.commitTransaction();
                Await.awaitCondition(WAIT, () -> Long.valueOf(11).equals(committedOrNull(group)),
                        "the commit marker written after the move applies the pending offset");
            } finally {
                moveBack.run();
            }
        }
        assertEquals(List.of("ctp-moving:0"), stableOutputs("ctp-moving:"));
    }

    /**
     * Moves the leadership of the group's offsets partition: one node restarts; on more, the coordinator's node stops
     * (the returned action starts it again).
     */
    private Runnable moveOffsetsPartition(String group) throws Exception {
        if (cluster.nodeIds().size() == 1) {
            cluster.restart();
            return () -> { };
        }
        int coordinator;
        try (Admin admin = cluster.admin()) {
            coordinator = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get()
                    .coordinator().id();
        }
        cluster.stop(coordinator);
        return () -> {
            try {
                cluster.start(coordinator);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start node " + coordinator + " again", e);
            }
        };
    }

    /**
     * Reads {@code count} input records as a group member and, in one transaction, writes one output per input
     * (prefixed with the group) and the member's next offset; the transaction is left open.
     */
    private static List<String> transform(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
                                          int count) {
        consumer.subscribe(List.of(INPUT));
        List<String> read = new ArrayList<>();
        producer.beginTransaction();
        String prefix = consumer.groupMetadata().groupId() + ":";
        Await.awaitCondition(WAIT, () -> {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                String value = new String(record.value(), StandardCharsets.UTF_8);
                read.add(value);
                producer.send(new ProducerRecord<>(OUTPUT, 0, null, bytes(prefix + value)));
            }
            return read.size() >= count;
        }, "the member reads " + count + " input records");
        producer.sendOffsetsToTransaction(Map.of(new TopicPartition(INPUT, 0),
                new OffsetAndMetadata(consumer.position(new TopicPartition(INPUT, 0)))), consumer.groupMetadata());
        return read;
    }

    /** The output records with the prefix that a read_committed consumer reads once its transactions have ended. */
    private List<String> stableOutputs(String prefix) {
        return IsolatedReads.readStable(cluster, output).stream().filter(v -> v.startsWith(prefix)).toList();
    }

    private static List<String> expectedOutputs() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            expected.add("ctp-commit:in-" + i);
        }
        return expected;
    }

    private KafkaConsumer<byte[], byte[]> member(String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return cluster.consumer(props);
    }

    private KafkaProducer<byte[], byte[]> transactional(String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        return cluster.producer(props);
    }

    /** The group's committed offset of the input partition as Admin lists it (not require_stable), or null. */
    private OffsetAndMetadata committedOffset(String group) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(input);
        }
    }

    /** As {@link #committedOffset}, null also while the group's coordinator cannot answer. */
    private Long committedOrNull(String group) {
        try {
            OffsetAndMetadata offset = committedOffset(group);
            return offset == null ? null : offset.offset();
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
