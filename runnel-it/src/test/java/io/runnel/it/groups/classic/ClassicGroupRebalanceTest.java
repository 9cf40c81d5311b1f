package io.runnel.it.groups.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What must be shown 1 and 2 (classic protocol, eager range and cooperative-sticky): three members own disjoint
 * partitions covering the topic; a fourth joins and one leaves, and the partitions are redistributed; a member in a
 * killed JVM is expelled after session.timeout.ms and its partitions taken over; with commits after processing, no
 * committed record is lost, and records processed twice were past the last commit.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClassicGroupRebalanceTest {
    private static final int PARTITIONS = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CHILD_SESSION_TIMEOUT_MS = "3000";

    private RunnelCluster cluster;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder()
                .brokerProperty("offsets.topic.num.partitions", "5")
                .brokerProperty("group.min.session.timeout.ms", "1000")
                .start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {RangeAssignor.class, CooperativeStickyAssignor.class})
    void membersShareThePartitionsThroughJoinsLeavesAndAKilledMember(Class<?> assignor) throws Exception {
        String topic = "rebalance-" + assignor.getSimpleName();
        String group = "group-" + assignor.getSimpleName();
        cluster.createTopic(topic, PARTITIONS);
        Properties props = new Properties();
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor.getName());
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produceUntilStopped(topic, producing), "producer");
        producer.start();
        List<GroupWorker> workers = new ArrayList<>();
        List<GroupWorker> all = new ArrayList<>();
        Path childOutput = Files.createTempFile("child-consumer", ".txt");
        Process child = null;
        long seqAtKill;
        try {
            for (int i = 1; i <= 3; i++) {
                workers.add(new GroupWorker(cluster, "w" + i, group, topic, props));
            }
            all.addAll(workers);
            awaitOwnership(workers, PARTITIONS, "three members");

            GroupWorker fourth = new GroupWorker(cluster, "w4", group, topic, props);
            workers.add(fourth);
            all.add(fourth);
            awaitOwnership(workers, PARTITIONS, "four members after w4 joined");

            GroupWorker leaving = workers.remove(0);
            leaving.close();
            awaitOwnership(workers, PARTITIONS, "three members after w1 left");

            child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ChildConsumer.class.getName(),
                    cluster.bootstrapServers(), group, topic, childOutput.toString(), assignor.getName(),
                    CHILD_SESSION_TIMEOUT_MS)
                    .redirectErrorStream(true)
                    .redirectOutput(Files.createTempFile("child-consumer", ".log").toFile())
                    .start();
            Path output = childOutput;
            Await.awaitCondition(WAIT, () -> childCommitted(output), "the child member consumes and commits");
            awaitOwnership(workers, PARTITIONS - childPartitions(output).size(), "three members beside the child");
            child.destroyForcibly().waitFor();
            seqAtKill = GroupWorker.SEQ.get();
            awaitOwnership(workers, PARTITIONS, "the killed member's partitions taken over");
            assertEquals(3, describe(group).members().size(), "the killed member was expelled");

            producing.set(false);
            producer.join();
            Map<TopicPartition, Long> ends = endOffsets(topic);
            Await.awaitCondition(WAIT, () -> committed(group).equals(ends), "every record processed and committed");
        } finally {
            producing.set(false);
            for (GroupWorker w : workers) {
                w.close();
            }
            if (child != null) {
                child.destroyForcibly();
            }
        }
        verifyNoLossAndDuplicatesOnlyPastCommits(all, childOutput, endOffsets(topic), seqAtKill);
    }

    private void produceUntilStopped(String topic, AtomicBoolean producing) {
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            int i = 0;
            while (producing.get()) {
                for (int n = 0; n < 12; n++, i++) {
                    producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, Integer.toString(i).getBytes()));
                }
                // Paced, so that records keep arriving across the rebalances without flooding two cores.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            producer.flush();
        }
    }

    /** Every worker owns at least one partition, none shares one, and together they own {@code count}. */
    private static void awaitOwnership(List<GroupWorker> workers, int count, String what) {
        Await.awaitCondition(WAIT, () -> {
            Set<TopicPartition> union = new HashSet<>();
            int total = 0;
            for (GroupWorker w : workers) {
                Set<TopicPartition> owned = Set.copyOf(w.owned);
                if (owned.isEmpty()) {
                    return false;
                }
                union.addAll(owned);
                total += owned.size();
            }
            return total == count && union.size() == count;
        }, what + ": disjoint ownership of " + count + " partitions");
    }

    private static boolean childCommitted(Path output) {
        return childLines(output).stream().anyMatch(l -> l.startsWith("c "));
    }

    private static Set<Integer> childPartitions(Path output) {
        return childLines(output).stream().filter(l -> l.startsWith("a "))
                .map(l -> Integer.parseInt(l.substring(2))).collect(Collectors.toSet());
    }

    private static List<String> childLines(Path output) {
        try {
            return Files.readAllLines(output);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ConsumerGroupDescription describe(String group) {
        try (Admin admin = cluster.admin()) {
            return Futures.get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
        }
    }

    private Map<TopicPartition, Long> committed(String group) {
        try (Admin admin = cluster.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    Futures.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, o) -> result.put(tp, o.offset()));
            return result;
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (TopicPartition tp : TopicReader.partitions(topic, PARTITIONS)) {
                ends.put(tp, consumer.endOffsets(List.of(tp)).get(tp));
            }
            return ends;
        }
    }

    private void verifyNoLossAndDuplicatesOnlyPastCommits(List<GroupWorker> workers, Path childOutput,
                                                                 Map<TopicPartition, Long> ends, long seqAtKill) {
        String topic = ends.keySet().iterator().next().topic();
        List<GroupWorker.Event> events = workers.stream().flatMap(w -> w.events.stream())
                .sorted((a, b) -> Long.compare(a.seq(), b.seq())).toList();
        Map<TopicPartition, Set<Long>> processed = new HashMap<>();
        Map<TopicPartition, Set<Long>> processedInProcess = new HashMap<>();
        Map<TopicPartition, Long> childLastCommit = new HashMap<>();
        for (String line : childLines(childOutput)) {
            String[] f = line.split(" ");
            if (f.length == 3) {
                TopicPartition tp = new TopicPartition(topic, Integer.parseInt(f[1]));
                long offset = Long.parseLong(f[2]);
                if (f[0].equals("r")) {
                    processed.computeIfAbsent(tp, t -> new HashSet<>()).add(offset);
                } else {
                    childLastCommit.merge(tp, offset, Math::max);
                }
            }
        }
        Map<TopicPartition, Long> highestCommitted = new HashMap<>();
        Map<TopicPartition, Long> firstAfterKill = new HashMap<>();
        for (GroupWorker.Event e : events) {
            if (e.commit()) {
                highestCommitted.merge(e.tp(), e.offset(), Math::max);
                continue;
            }
            processed.computeIfAbsent(e.tp(), t -> new HashSet<>()).add(e.offset());
            if (!processedInProcess.computeIfAbsent(e.tp(), t -> new HashSet<>()).add(e.offset())) {
                long committedBefore = highestCommitted.getOrDefault(e.tp(), 0L);
                assertTrue(e.offset() >= committedBefore, e.tp() + " offset " + e.offset()
                        + " was processed again by " + e.worker() + " although " + committedBefore + " was committed");
            }
            if (e.seq() > seqAtKill) {
                firstAfterKill.merge(e.tp(), e.offset(), Math::min);
            }
        }
        childLastCommit.forEach((tp, committed) -> {
            Long first = firstAfterKill.get(tp);
            assertTrue(first == null || first >= committed, "after the kill " + tp + " restarted at " + first
                    + " below the killed member's commit " + committed);
        });
        ends.forEach((tp, end) -> {
            Set<Long> seen = processed.getOrDefault(tp, Set.of());
            for (long o = 0; o < end; o++) {
                assertTrue(seen.contains(o), tp + " offset " + o + " was never processed");
            }
        });
    }
}
