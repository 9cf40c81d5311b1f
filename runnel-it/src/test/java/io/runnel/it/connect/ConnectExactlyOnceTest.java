package io.runnel.it.connect;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelProcessCluster;
import io.runnel.it.transactions.IsolatedReads;
import io.runnel.it.transactions.OngoingTransactions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Connect's exactly-once source support (KIP-618) on three broker processes: a distributed worker
 * ({@link ConnectWorker}, its own JVM) with {@code exactly.once.source.support=enabled} runs Apache Kafka's
 * FileStreamSource connector with {@code exactly.once.support=required}; its task writes the lines it reads and its
 * file position in one transaction every two seconds ({@code transaction.boundary=interval}), the position going to
 * the offsets topic, with a producer fenced first through Admin.fenceProducers. The worker reads its config and
 * offsets topics with read_committed. A read_committed consumer reads every line of the file once, in order; then
 * more lines are appended and the worker is killed with SIGKILL while a transaction of lines is open, and started
 * again (again with more lines until a kill falls inside a transaction): still every line once, in order. The
 * transaction the kill cut is in the log, aborted, and its lines were read again from the committed position:
 * at-least-once delivery (positions committed apart from the lines) would have written them twice.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ConnectExactlyOnceTest {
    private static final Duration WAIT = Duration.ofSeconds(300);
    private static final String TOPIC = "file-lines";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final int FIRST_LINES = 2_000;
    private static final int LINES_PER_ROUND = 20_000;
    private static final int KILL_ROUNDS = 3;
    // The transactional id of the connector's task: <group.id>-<connector>-<task>.
    private static final String TASK_ID = "connect-eos-file-source-0";

    @TempDir
    Path dir;

    @Test
    void everyLineOfTheFileIsWrittenOnceThroughAKillOfTheWorker() throws Exception {
        Path file = dir.resolve("lines.txt");
        append(file, 0, FIRST_LINES);
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3,
                Map.of("default.replication.factor", "3", "min.insync.replicas", "2"));
             Admin admin = ClusterAdmin.admin(cluster)) {
            get(admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all());
            try (ConnectWorker worker = ConnectWorker.start(workerSettings(cluster.bootstrapServers()))) {
                createConnector(worker, file);
                assertEquals(lines(0, FIRST_LINES), committedLines(cluster, FIRST_LINES), "the lines read_committed");

                int total = FIRST_LINES;
                boolean cut = false;
                for (int round = 0; round < KILL_ROUNDS && !cut; round++) {
                    append(file, total, LINES_PER_ROUND);
                    total += LINES_PER_ROUND;
                    cut = killInsideATransaction(worker, admin);
                }
                assertTrue(cut, "a kill fell between a write of lines and its commit");
                assertEquals(lines(0, total), committedLines(cluster, total), "the lines read_committed");
                IsolatedReads.awaitStable(admin, PARTITION);
                assertEquals(lines(0, total), IsolatedReads.readAll(cluster, PARTITION, "read_committed"),
                        "the lines read_committed once every transaction has ended");
                List<String> written = IsolatedReads.readAll(cluster, PARTITION, "read_uncommitted");
                assertTrue(written.size() > total, "the transaction open at the kill wrote lines that were aborted "
                        + "and written again: " + written.size() + " records for " + total + " lines");
            }
        }
    }

    /**
     * Kills the worker once its task has a transaction open, then starts it again. True when the kill fell inside the
     * transaction after it wrote lines: once the worker is dead the transaction is still Ongoing and the topic's last
     * stable offset is behind its end (an Ongoing transaction follows the markers of the previous one, so the records
     * past the last stable offset are its own).
     */
    private static boolean killInsideATransaction(ConnectWorker worker, Admin admin) throws Exception {
        Await.awaitCondition(WAIT, () -> OngoingTransactions.any(admin, TASK_ID, worker.startedMs()),
                "the task has a transaction open");
        worker.kill9();
        boolean cut = OngoingTransactions.any(admin, TASK_ID, worker.startedMs()) && transactionOpen(admin);
        worker.start();
        return cut;
    }

    private static Map<String, String> workerSettings(String bootstrapServers) {
        return Map.ofEntries(
                Map.entry("bootstrap.servers", bootstrapServers),
                Map.entry("group.id", "connect-eos"),
                Map.entry("exactly.once.source.support", "enabled"),
                Map.entry("config.storage.topic", "connect-configs"),
                Map.entry("offset.storage.topic", "connect-offsets"),
                Map.entry("status.storage.topic", "connect-status"),
                Map.entry("config.storage.replication.factor", "3"),
                Map.entry("offset.storage.replication.factor", "3"),
                Map.entry("status.storage.replication.factor", "3"),
                Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                Map.entry("value.converter", "org.apache.kafka.connect.storage.StringConverter"),
                // The restarted worker gets the task back at once instead of waiting for the lost one to return.
                Map.entry("scheduled.rebalance.max.delay.ms", "0"),
                Map.entry("plugin.discovery", "service_load"));
    }

    /** Creates the FileStreamSource connector, retrying while the worker is still joining its group. */
    private static void createConnector(ConnectWorker worker, Path file) {
        String config = """
                {"name": "file-source", "config": {
                  "connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector",
                  "tasks.max": "1", "file": "%s", "topic": "%s", "batch.size": "100",
                  "exactly.once.support": "required",
                  "transaction.boundary": "interval", "transaction.boundary.interval.ms": "2000"}}"""
                .formatted(file, TOPIC);
        Await.awaitCondition(WAIT, () -> {
            ConnectWorker.Answer answer = worker.post("/connectors", config);
            if (answer.status() >= 400 && answer.status() != 409 && answer.status() < 500) {
                throw new AssertionError("the worker refused the connector: " + answer);
            }
            return answer.status() == 201;
        }, "the worker creates the connector (output in " + worker.log() + ")");
    }

    private static void append(Path file, int first, int count) throws Exception {
        Files.write(file, lines(first, count), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> lines(int first, int count) {
        return IntStream.range(first, first + count).mapToObj(i -> "line " + i + " of the file").toList();
    }

    /** What a read_committed consumer reads of the topic from its start, once it has read {@code count} lines. */
    private static List<String> committedLines(RunnelProcessCluster cluster, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            List<String> read = new ArrayList<>();
            Await.awaitCondition(WAIT, () -> {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(record -> read.add(new String(record.value(), StandardCharsets.UTF_8)));
                return read.size() >= count;
            }, "a read_committed consumer reads " + count + " lines");
            return read;
        }
    }

    private static boolean transactionOpen(Admin admin) {
        return latest(admin, IsolationLevel.READ_COMMITTED) < latest(admin, IsolationLevel.READ_UNCOMMITTED);
    }

    private static long latest(Admin admin, IsolationLevel isolation) {
        try {
            return IsolatedReads.latest(admin, PARTITION, isolation);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot list the offsets of " + PARTITION, e);
        }
    }
}
