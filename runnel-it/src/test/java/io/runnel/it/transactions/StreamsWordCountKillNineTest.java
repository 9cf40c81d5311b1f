package io.runnel.it.transactions;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The course's Kafka Streams WordCount ({@link WordCountApp}, its own JVM, {@code exactly_once_v2}) on three broker
 * processes, fed a known text in chunks. After each chunk the application is killed with SIGKILL while a transaction
 * is open, once some counts are committed and while input remains, and started again on the same state directory,
 * until a kill falls between a write of counts and its commit. A read_committed consumer then finds, for every word,
 * the counts 1, 2, ... up to the word's occurrences in the text, each once. The transaction the kill cut is in the log,
 * aborted: a read_uncommitted consumer sees its counts too, so an at-least-once application (no transactions: what it
 * wrote before the kill stays, and the input since its last commit is counted again) would repeat counts.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class StreamsWordCountKillNineTest {
    private static final Duration WAIT = Duration.ofSeconds(300);
    private static final String APPLICATION_ID = "wordcount";
    private static final String INPUT = "wordcount-input";
    private static final String OUTPUT = "wordcount-output";
    private static final int PARTITIONS = 2;
    private static final int CHUNKS = 8;
    private static final int LINES_PER_CHUNK = 400;
    private static final String[] WORDS = {"Kafka", "streams", "the", "log", "is", "a", "commit", "Exactly", "once",
        "broker", "topic", "partition", "record", "offset", "consumer", "producer", "transaction", "Runnel", "word",
        "count"};

    @TempDir
    Path stateDir;
    private Process app;
    private long appStartMs;
    private int runs;

    @Test
    void everyWordIsCountedOnceThroughAKillOfTheApplication() throws Exception {
        List<List<String>> chunks = text();
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3,
                Map.of("default.replication.factor", "3", "min.insync.replicas", "2"));
             Admin admin = ClusterAdmin.admin(cluster)) {
            get(admin.createTopics(List.of(new NewTopic(INPUT, PARTITIONS, (short) 3),
                    new NewTopic(OUTPUT, PARTITIONS, (short) 3))).all());
            boolean cut = false;
            try {
                feed(cluster, chunks.get(0));
                startApp(cluster);
                for (int chunk = 1; chunk < CHUNKS; chunk++) {
                    feed(cluster, chunks.get(chunk));
                    cut = cut || killInsideATransaction(cluster, admin);
                }
                Map<String, Long> expected = wordCounts(chunks);
                Await.awaitCondition(WAIT, () -> lastCounts(cluster).equals(expected),
                        "every word's last committed count is its count in the text");
            } finally {
                if (app != null) {
                    app.destroyForcibly().waitFor();
                }
            }
            assertTrue(cut, "a kill fell between a write of counts and its commit");
            for (int p = 0; p < PARTITIONS; p++) {
                IsolatedReads.awaitStable(admin, new TopicPartition(OUTPUT, p));
            }
            Map<String, List<Long>> committed = CountTopics.read(cluster, OUTPUT, PARTITIONS, "read_committed");
            wordCounts(chunks).forEach((word, count) -> assertEquals(LongStream.rangeClosed(1, count).boxed().toList(),
                    committed.get(word), "the committed counts of '" + word + "'"));
            assertEquals(wordCounts(chunks).keySet(), committed.keySet(), "the words counted");

            Map<String, List<Long>> written = CountTopics.read(cluster, OUTPUT, PARTITIONS, "read_uncommitted");
            assertTrue(written.values().stream().anyMatch(c -> c.size() > c.stream().distinct().count()),
                    "the transaction open at the kill wrote counts that were aborted and written again");
        }
    }

    /**
     * Kills the application once it has committed counts and has a transaction open with counts written (unless it
     * consumes all input first), then starts it again. True when the kill fell inside the transaction after it wrote
     * counts: once the application is dead the transaction is still Ongoing and the output's last stable offset is
     * behind its end (an Ongoing transaction follows the markers of the previous one, so the records past the last
     * stable offset are its own).
     */
    private boolean killInsideATransaction(RunnelProcessCluster cluster, Admin admin) throws Exception {
        AtomicBoolean open = new AtomicBoolean();
        Await.awaitCondition(WAIT, () -> {
            open.set(someCountsCommitted(admin) && OngoingTransactions.any(admin, APPLICATION_ID, appStartMs)
                    && transactionOpen(admin));
            return open.get() || !inputRemains(admin);
        }, "the application has committed counts and has a transaction of counts open, or has consumed its input");
        if (!open.get()) {
            return false;
        }
        app.destroyForcibly().waitFor();
        boolean cut = OngoingTransactions.any(admin, APPLICATION_ID, appStartMs) && transactionOpen(admin);
        startApp(cluster);
        return cut;
    }

    /** The known text: lines of ten words with capitals and punctuation, in {@value #CHUNKS} chunks. */
    private static List<List<String>> text() {
        List<List<String>> chunks = new ArrayList<>();
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            List<String> lines = new ArrayList<>();
            for (int line = chunk * LINES_PER_CHUNK; line < (chunk + 1) * LINES_PER_CHUNK; line++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 10; w++) {
                    text.append(w == 0 ? "" : w == 5 ? ", " : " ").append(WORDS[(line * 7 + w * w + w) % WORDS.length]);
                }
                lines.add(text.append('.').toString());
            }
            chunks.add(lines);
        }
        return chunks;
    }

    /** How often each lowercase word occurs in the text. */
    private static Map<String, Long> wordCounts(List<List<String>> chunks) {
        Map<String, Long> counts = new TreeMap<>();
        chunks.stream().flatMap(List::stream).flatMap(line -> List.of(line.toLowerCase().split("\\W+")).stream())
                .forEach(word -> counts.merge(word, 1L, Long::sum));
        return counts;
    }

    private static void feed(RunnelProcessCluster cluster, List<String> lines) {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            for (String line : lines) {
                producer.send(new ProducerRecord<>(INPUT, null, line.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private void startApp(RunnelProcessCluster cluster) throws IOException {
        appStartMs = System.currentTimeMillis();
        Path log = TestDirs.buildDir().resolve("wordcount-app-" + TestDirs.forkId() + "-" + ++runs + ".log");
        app = TestJvm.start(WordCountApp.class, "256m", log, cluster.bootstrapServers(), INPUT, OUTPUT,
                stateDir.toString());
    }

    /** Each word's last count that a read_committed consumer of the output reads. */
    private static Map<String, Long> lastCounts(RunnelProcessCluster cluster) {
        Map<String, Long> last = new TreeMap<>();
        CountTopics.read(cluster, OUTPUT, PARTITIONS, "read_committed")
                .forEach((word, counts) -> last.put(word, counts.get(counts.size() - 1)));
        return last;
    }

    private static boolean someCountsCommitted(Admin admin) {
        return outputOffsets(admin, IsolationLevel.READ_COMMITTED).values().stream().anyMatch(offset -> offset > 0);
    }

    /** The output's last stable offset is behind its high watermark: counts are written and not yet committed. */
    private static boolean transactionOpen(Admin admin) {
        Map<TopicPartition, Long> stable = outputOffsets(admin, IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> written = outputOffsets(admin, IsolationLevel.READ_UNCOMMITTED);
        return stable.keySet().stream().anyMatch(tp -> stable.get(tp) < written.get(tp));
    }

    /** The application's committed input offsets are short of the input's end. */
    private static boolean inputRemains(Admin admin) {
        Map<TopicPartition, OffsetAndMetadata> consumed = get(admin.listConsumerGroupOffsets(APPLICATION_ID)
                .partitionsToOffsetAndMetadata());
        return IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(INPUT, p))
                .anyMatch(tp -> consumed.get(tp) == null
                        || consumed.get(tp).offset() < latest(admin, tp, IsolationLevel.READ_UNCOMMITTED));
    }

    private static Map<TopicPartition, Long> outputOffsets(Admin admin, IsolationLevel isolation) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(OUTPUT, p);
            offsets.put(tp, latest(admin, tp, isolation));
        }
        return offsets;
    }

    private static long latest(Admin admin, TopicPartition tp, IsolationLevel isolation) {
        try {
            return IsolatedReads.latest(admin, tp, isolation);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot list the offsets of " + tp, e);
        }
    }
}
