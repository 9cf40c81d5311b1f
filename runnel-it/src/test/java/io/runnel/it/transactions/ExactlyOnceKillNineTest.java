package io.runnel.it.transactions;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelProcessCluster;
import io.runnel.it.TestDirs;
import io.runnel.it.TestJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consume-transform-produce with sendOffsetsToTransaction ({@link TransformApp}, its own JVM) on three broker
 * processes: the application is killed with SIGKILL mid-run and started again, then, while more input arrives, the
 * leader of an output partition and the transaction coordinator's broker are killed with SIGKILL and started again
 * (the application too whenever it gives up). Afterwards a read_committed consumer finds each input record's result
 * in the output exactly once.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ExactlyOnceKillNineTest {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final String INPUT = "eos-input";
    private static final String OUTPUT = "eos-output";
    private static final String TRANSACTIONAL_ID = "eos-app";
    private static final int PARTITIONS = 3;
    private static final int PER_PHASE = 20_000;

    private final AtomicInteger runs = new AtomicInteger();
    private Process app;
    private Path progress;

    @Test
    void everyInputRecordsResultIsCommittedOnceThroughApplicationAndBrokerKills() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3,
                Map.of("default.replication.factor", "3", "min.insync.replicas", "2"))) {
            try (Admin admin = ClusterAdmin.admin(cluster)) {
                get(admin.createTopics(List.of(new NewTopic(INPUT, PARTITIONS, (short) 3),
                        new NewTopic(OUTPUT, PARTITIONS, (short) 3))).all());
            }
            try {
                produceInput(cluster, 0);
                startApp(cluster);
                awaitProgress(PER_PHASE / 10);
                app.destroyForcibly().waitFor();
                startApp(cluster);
                awaitProgress(1);

                produceInput(cluster, PER_PHASE);
                try (Admin admin = ClusterAdmin.admin(cluster)) {
                    int leader = get(admin.describeTopics(List.of(OUTPUT)).allTopicNames()).get(OUTPUT).partitions()
                            .get(0).leader().id();
                    killAndRestart(cluster, leader);
                    int coordinator = get(admin.describeTransactions(List.of(TRANSACTIONAL_ID))
                            .description(TRANSACTIONAL_ID)).coordinatorId();
                    killAndRestart(cluster, coordinator);
                }
                assertEveryResultOnce(cluster);
            } finally {
                if (app != null) {
                    app.destroyForcibly();
                }
            }
        }
    }

    /** Writes input records "0".."{@value #PER_PHASE}-1" from {@code first} on, idempotently with acks=all. */
    private static void produceInput(RunnelProcessCluster cluster, int first) {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            for (int i = first; i < first + PER_PHASE; i++) {
                producer.send(new ProducerRecord<>(INPUT, i % PARTITIONS, null, bytes(Integer.toString(i))));
            }
            producer.flush();
        }
    }

    private void killAndRestart(RunnelProcessCluster cluster, int node) throws Exception {
        cluster.node(node).kill9();
        cluster.node(node).start();
        restartAppIfItExited(cluster);
    }

    /** The application gives up when its transaction cannot complete (a broker it needed died): start it again. */
    private void restartAppIfItExited(RunnelProcessCluster cluster) throws IOException {
        if (!app.isAlive()) {
            startApp(cluster);
        }
    }

    private void startApp(RunnelProcessCluster cluster) throws IOException {
        int run = runs.incrementAndGet();
        progress = TestDirs.buildDir().resolve("eos-app-" + TestDirs.forkId() + "-" + run + ".progress");
        Path log = TestDirs.buildDir().resolve("eos-app-" + TestDirs.forkId() + "-" + run + ".log");
        Files.deleteIfExists(progress);
        app = TestJvm.start(TransformApp.class, "256m", log,
                cluster.bootstrapServers(), INPUT, OUTPUT, "eos-group", TRANSACTIONAL_ID, progress.toString());
    }

    /** Waits until the running application has committed at least {@code records} input records. */
    private void awaitProgress(int records) {
        Await.awaitCondition(WAIT, () -> committed() >= records, "the application commits " + records + " records");
    }

    private long committed() {
        try {
            List<String> lines = Files.exists(progress) ? Files.readAllLines(progress) : List.of();
            return lines.isEmpty() ? 0 : Long.parseLong(lines.get(lines.size() - 1).substring("committed ".length()));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void assertEveryResultOnce(RunnelProcessCluster cluster) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        Await.awaitCondition(WAIT, () -> {
            try {
                restartAppIfItExited(cluster);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            counts.clear();
            for (int p = 0; p < PARTITIONS; p++) {
                IsolatedReads.readAll(cluster, new TopicPartition(OUTPUT, p), "read_committed")
                        .forEach(v -> counts.merge(v, 1, Integer::sum));
            }
            return counts.size() >= 2 * PER_PHASE;
        }, "the output holds a result for every input record");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 2 * PER_PHASE; i++) {
            Integer count = counts.get("out-" + i);
            if (count == null || count != 1) {
                wrong.add("out-" + i + " x" + count);
            }
        }
        assertEquals(List.of(), wrong, "results missing or written more than once");
        assertEquals(2 * PER_PHASE, counts.size(), "no other output");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
