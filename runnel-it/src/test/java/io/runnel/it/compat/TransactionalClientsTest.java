package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import io.runnel.it.transactions.IsolatedReads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The transactional producers of librdkafka (confluent-kafka-python) and KafkaJS against three nodes: each commits a
 * transaction and aborts the next, both with offsets of a group (TxnOffsetCommit), and a kafka-clients consumer reads
 * exactly the committed records with {@code read_committed}, both transactions with {@code read_uncommitted}; the
 * group's committed offset is the committed transaction's.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionalClientsTest {
    private static final int RECORDS = 20;
    private RunnelCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = ClusterShape.THREE_NODES.builder().start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void confluentKafkaPythonTransactions() throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python", "apt-get install python3-confluent-kafka",
                "/usr/bin/python3", "-c", "import confluent_kafka");
        String topic = "txn-python";
        createTopic(topic);
        String out = ClientCommand.run(null, List.of("/usr/bin/python3",
                ClientCommand.clientsDir().resolve("python").resolve("transactional_producer_driver.py").toString(),
                cluster.bootstrapServers(), topic, "python-producer", Integer.toString(RECORDS), topic + "-group"));
        assertEquals("done", out.strip());
        checkReads(topic);
    }

    @Test
    void kafkaJsTransactions() throws Exception {
        Path dir = ClientCommand.clientsDir().resolve("kafkajs");
        ClientCommand.requireInstalled("node", "apt-get install nodejs", "node", "--version");
        if (!Files.isRegularFile(dir.resolve("node_modules").resolve("kafkajs").resolve("package.json"))) {
            throw new AssertionError("KafkaJS is not installed in " + dir + ": .ci/run runs npm ci there");
        }
        String topic = "txn-kafkajs";
        createTopic(topic);
        String out = ClientCommand.run(null, List.of("node", dir.resolve("kafkajs-transactions.js").toString(),
                cluster.bootstrapServers(), topic, "kafkajs-producer", Integer.toString(RECORDS), topic + "-group"));
        assertEquals("done", out.strip());
        checkReads(topic);
    }

    private void createTopic(String topic) throws Exception {
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private void checkReads(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = cluster.admin()) {
            assertEquals(RECORDS, admin.listConsumerGroupOffsets(topic + "-group").partitionsToOffsetAndMetadata().get()
                    .get(tp).offset(), "the group's offset of the committed transaction, not of the aborted one");
        }
        assertEquals(values("committed"), IsolatedReads.readStable(cluster, tp));
        List<String> both = values("committed");
        both.addAll(values("aborted"));
        assertEquals(both, IsolatedReads.readAll(cluster, tp, "read_uncommitted"));
    }

    private static List<String> values(String outcome) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            values.add(outcome + "-" + i);
        }
        return values;
    }
}
