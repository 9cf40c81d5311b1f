package io.runnel.it.groups.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import io.runnel.tools.Runnel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code runnel consumer-groups} against a real broker: lag, every --reset-offsets mode, --list, --delete(-offsets). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerGroupsCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PER_PARTITION = 10;

    private RunnelCluster cluster;

    @TempDir
    Path dir;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder()
                .brokerProperty("offsets.topic.num.partitions", "3")
                .brokerProperty("group.consumer.heartbeat.interval.ms", "200")
                .start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Result(int exitCode, String out, String err) {
        /** The rows of the printed table that start with {@code group}, split on blanks. */
        List<String[]> rows(String group) {
            return out.lines().filter(l -> l.startsWith(group + " ")).map(l -> l.trim().split("\\s+")).toList();
        }
    }

    @Test
    void describeShowsTheLagOfEachPartitionAndResetIsRefusedWhileTheGroupIsActive() {
        String topic = "lagged";
        produce(topic, 3);
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "lag-app");
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lag-client");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            consumer.subscribe(List.of(topic));
            Await.awaitCondition(TIMEOUT, () -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 3;
            }, "the consumer owns the three partitions");
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(3),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(5),
                    new TopicPartition(topic, 2), new OffsetAndMetadata(10)));

            Result describe = run("--describe", "--group", "lag-app");
            assertEquals(0, describe.exitCode(), describe.err());
            assertTrue(describe.out().lines().anyMatch(l -> l.trim().split("\\s+").length == 9 && l.trim().replaceAll("\\s+", " ")
                    .equals("GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID")), describe.out());
            List<String[]> rows = describe.rows("lag-app");
            assertEquals(3, rows.size(), describe.out());
            long[][] expected = {{3, 10, 7}, {5, 10, 5}, {10, 10, 0}};
            for (int p = 0; p < 3; p++) {
                String[] row = rows.get(p);
                assertEquals(List.of(topic, Integer.toString(p), Long.toString(expected[p][0]), Long.toString(expected[p][1]),
                        Long.toString(expected[p][2])), Arrays.asList(row).subList(1, 6), describe.out());
                assertNotEquals("-", row[6]);
                assertEquals("/127.0.0.1", row[7]);
                assertEquals("lag-client", row[8]);
            }

            Result members = run("--describe", "--group", "lag-app", "--members");
            assertEquals("3", members.rows("lag-app").get(0)[5], members.out());
            Result state = run("--describe", "--group", "lag-app", "--state");
            assertTrue(state.out().contains("uniform") && state.out().contains("Stable"), state.out());

            Result refused = run("--reset-offsets", "--group", "lag-app", "--topic", topic, "--to-earliest", "--execute");
            assertEquals(1, refused.exitCode());
            assertTrue(refused.err().contains("Assignments can only be reset if the group 'lag-app' is inactive, "
                    + "but the current state is Stable."), refused.err());
            assertEquals(Map.of(0, 3L, 1, 5L, 2, 10L), committed("lag-app", topic));
        }
    }

    @Test
    void eachResetModeMovesTheCommittedOffsetsAsKafkasToolDoes() throws Exception {
        String topic = "resets";
        String group = "reset-app";
        produce(topic, 2);
        commit(group, topic, 5, 5);

        Result dryRun = run("--reset-offsets", "--group", group, "--topic", topic, "--to-earliest", "--dry-run");
        assertEquals(List.of("0", "0"), newOffsets(dryRun, group));
        assertEquals(Map.of(0, 5L, 1, 5L), committed(group, topic), "a dry run changes nothing");
        Result noMode = run("--reset-offsets", "--group", group, "--topic", topic, "--to-earliest");
        assertTrue(noMode.out().startsWith("WARN: No action will be performed"), noMode.out());
        assertEquals(Map.of(0, 5L, 1, 5L), committed(group, topic));

        assertReset(group, topic, Map.of(0, 0L, 1, 0L), "--topic", topic, "--to-earliest");
        assertReset(group, topic, Map.of(0, 10L, 1, 10L), "--all-topics", "--to-latest");
        assertReset(group, topic, Map.of(0, 4L, 1, 4L), "--topic", topic, "--to-offset", "4");
        assertReset(group, topic, Map.of(0, 1L, 1, 1L), "--topic", topic, "--shift-by", "-3");
        assertReset(group, topic, Map.of(0, 10L, 1, 10L), "--topic", topic, "--shift-by", "100");
        assertEquals(1, assertReset(group, topic, Map.of(0, 3L, 1, 10L), "--topic", topic + ":0", "--to-offset", "3"),
                "only the partition named is reset");
        assertReset(group, topic, Map.of(0, 0L, 1, 0L), "--all-topics", "--to-datetime", "2000-01-01T00:00:00.000");
        assertReset(group, topic, Map.of(0, 10L, 1, 10L), "--all-topics", "--to-datetime", "2100-01-01T00:00:00.000Z");
        assertReset(group, topic, Map.of(0, 0L, 1, 0L), "--topic", topic, "--by-duration", "P1D");
        Path file = dir.resolve("offsets.csv");
        Files.writeString(file, topic + ",0,7\n" + topic + ",1,2\n");
        assertReset(group, topic, Map.of(0, 7L, 1, 2L), "--from-file", file.toString());
    }

    @Test
    void listDeleteOffsetsAndDelete() {
        String topic = "doomed";
        String group = "doomed-app";
        produce(topic, 2);
        commit(group, topic, 1, 1);

        assertTrue(run("--list").out().lines().anyMatch(group::equals));
        assertEquals(List.of(List.of(group, "Empty")),
                run("--list", "--state").rows(group).stream().map(Arrays::asList).toList());
        assertTrue(run("--list", "--state", "Stable").rows(group).isEmpty());

        Result deleteOffsets = run("--delete-offsets", "--group", group, "--topic", topic + ":0");
        assertEquals(0, deleteOffsets.exitCode(), deleteOffsets.err());
        assertTrue(deleteOffsets.out().lines().anyMatch(l -> l.trim().replaceAll("\\s+", " ").equals(topic + " 0 Successful")),
                deleteOffsets.out());
        assertEquals(Map.of(1, 1L), committed(group, topic));

        Result delete = run("--delete", "--group", group);
        assertEquals("Deletion of requested consumer groups ('" + group + "') was successful.", delete.out().trim());
        assertFalse(run("--list").out().lines().anyMatch(group::equals));
    }

    /** Runs the reset with --execute, checks the committed offsets after it; returns the number of rows printed. */
    private int assertReset(String group, String topic, Map<Integer, Long> expected, String... scope) {
        List<String> args = new ArrayList<>(List.of("--reset-offsets", "--group", group, "--execute"));
        args.addAll(List.of(scope));
        Result result = run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(expected, committed(group, topic), String.join(" ", scope) + "\n" + result.out());
        return result.rows(group).size();
    }

    private static List<String> newOffsets(Result result, String group) {
        return result.rows(group).stream().map(row -> row[3]).toList();
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Runnel.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 3];
        full[0] = "consumer-groups";
        full[1] = "--bootstrap-server";
        full[2] = cluster.bootstrapServers();
        System.arraycopy(args, 0, full, 3, args.length);
        int exitCode = cli.execute(full);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private void produce(String topic, int partitions) {
        cluster.createTopic(topic, partitions);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < PER_PARTITION; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, ("v" + i).getBytes()));
                }
            }
            producer.flush();
        }
    }

    private void commit(String group, String topic, long p0, long p1) {
        try (Admin admin = cluster.admin()) {
            Futures.get(admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(p0),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(p1))).all());
        }
    }

    private Map<Integer, Long> committed(String group, String topic) {
        try (Admin admin = cluster.admin()) {
            Map<Integer, Long> result = new HashMap<>();
            Futures.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()).forEach((tp, o) -> {
                if (tp.topic().equals(topic)) {
                    result.put(tp.partition(), o.offset());
                }
            });
            return result;
        }
    }
}
