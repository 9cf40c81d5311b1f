package io.runnel.it.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.RunnelProcess;
import io.runnel.it.RunnelProcessCluster;
import io.runnel.it.TestDirs;
import io.runnel.it.TopicReader;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The fault campaign: three broker processes, a topic with three replicas and min.insync.replicas=2, an idempotent
 * acks=all producer writing all along, and in each round one fault at a random moment (kill -9 a partition's leader,
 * SIGSTOP a follower until the ISR drops it, kill -9 a follower), each followed by a full ISR again. Afterwards a
 * fresh consumer reads every partition: every acknowledged record is there once and in order, no record is there
 * twice, and the three replicas' logs are byte for byte the same below the high watermark.
 *
 * <p>{@code -Drunnel.chaos.rounds} (20; 1000 with {@code -Pchaos}) and {@code -Drunnel.chaos.seed} (printed, so a
 * run can be replayed); each round's line goes to target/chaos-rounds.txt as it ends, the totals to
 * target/chaos-report.txt.
 */
class NoAckedRecordLostTest {
    private static final String TOPIC = "chaos";
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(180);
    /** Each round's fault comes after a random number of further acknowledgements below this (1 s at full rate). */
    private static final int ACKS_BEFORE_FAULT = 2_000;
    private static final int SEGMENT_BYTES = 8 * 1024 * 1024;
    /** Records a second the final read is given time for, on top of {@link #WAIT}. */
    private static final int READ_RATE = 5_000;
    private static final Map<String, String> BROKER = Map.of(
            "broker.heartbeat.interval.ms", "300",
            "broker.session.timeout.ms", "3000",
            "replica.lag.time.max.ms", "3000");

    @Test
    void noAcknowledgedRecordIsLostOrDuplicatedUnderLeaderAndFollowerFaults() throws Exception {
        long seed = Long.getLong("runnel.chaos.seed", System.nanoTime());
        int rounds = Integer.getInteger("runnel.chaos.rounds", 20);
        System.out.println("chaos seed " + seed + ", " + rounds + " rounds");
        // Each round's line as it ends: a long campaign can be followed there.
        Path progress = TestDirs.buildDir().resolve("chaos-rounds.txt");
        Files.writeString(progress, "seed " + seed + ", " + rounds + " rounds\n");
        Random random = new Random(seed);
        ChaosReport report = null;
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3, BROKER);
             Faults faults = new Faults(cluster, TOPIC, PARTITIONS)) {
            // Small segments: a killed broker checks its logs from the last roll on (its recovery point), so a
            // restart costs the same in round 1,000 as in round 1, and segments roll under every kind of fault.
            faults.admin().createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2", "segment.bytes", Integer.toString(SEGMENT_BYTES)))))
                    .all().get(60, TimeUnit.SECONDS);
            faults.awaitFullIsr();

            long started = System.nanoTime();
            int done = 0;
            ChaosProducer producer = new ChaosProducer(cluster, TOPIC, PARTITIONS);
            try {
                for (; done < rounds; done++) {
                    long roundStarted = System.nanoTime();
                    long target = producer.acknowledgedCount() + random.nextInt(ACKS_BEFORE_FAULT);
                    Await.awaitCondition(WAIT, () -> producer.acknowledgedCount() >= target,
                            "round " + (done + 1) + ": " + target + " acknowledgements");
                    long faulted = System.nanoTime();
                    String fault = faults.applyRandom(random);
                    long applied = System.nanoTime();
                    faults.awaitFullIsr();
                    // Where a round's time goes: waiting for acknowledgements, the fault, the ISR filling again.
                    String line = String.format("round %d: %s; acks %s, fault %s, full ISR %s; %d acknowledged, %.0f s%n",
                            done + 1, fault, Faults.seconds(roundStarted, faulted), Faults.seconds(faulted, applied),
                            Faults.seconds(applied, System.nanoTime()), producer.acknowledgedCount(),
                            (System.nanoTime() - started) / 1e9);
                    System.out.print(line);
                    Files.writeString(progress, line, StandardOpenOption.APPEND);
                }
                producer.stop();
            } finally {
                producer.close();
            }
            double secondsPerRound = (System.nanoTime() - started) / 1e9 / Math.max(1, done);
            faults.awaitFullIsr();
            report = verify(cluster, producer, faults, seed, done, rounds, secondsPerRound);
        } finally {
            if (report != null) {
                report.lines().forEach(System.out::println);
                report.write(TestDirs.buildDir().resolve("chaos-report.txt"));
            }
        }
        assertEquals(0, report.lost(), "acknowledged records lost");
        assertEquals(0, report.duplicated(), "records read twice");
        assertEquals(0, report.outOfOrder(), "records out of order");
        assertTrue(report.divergentPartitions().isEmpty(), "replica logs differ below the high watermark");
    }

    private static ChaosReport verify(RunnelProcessCluster cluster, ChaosProducer producer, Faults faults, long seed,
                                      int rounds, int planned, double secondsPerRound) throws Exception {
        BitSet acknowledged = producer.acknowledged();
        BitSet found = new BitSet();
        long[] read = {0};
        long[] duplicated = {0};
        long[] outOfOrder = {0};
        long[] last = new long[PARTITIONS];
        Arrays.fill(last, -1);
        List<TopicPartition> partitions = TopicReader.partitions(TOPIC, PARTITIONS);
        Map<TopicPartition, Long> highWatermarks;
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        // A long campaign leaves millions of records: the bound allows for reading 5,000 a second.
        Duration readTimeout = WAIT.plusSeconds(producer.sent() / READ_RATE);
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            TopicReader.readAll(consumer, partitions, readTimeout, r -> {
                int value = (int) ChaosProducer.valueOf(r.value());
                read[0]++;
                if (found.get(value)) {
                    duplicated[0]++;
                }
                found.set(value);
                if (value <= last[r.partition()]) {
                    outOfOrder[0]++;
                }
                last[r.partition()] = Math.max(last[r.partition()], value);
            });
            highWatermarks = consumer.endOffsets(partitions);
        }
        BitSet lost = (BitSet) acknowledged.clone();
        lost.andNot(found);
        BitSet unacknowledgedPresent = (BitSet) found.clone();
        unacknowledgedPresent.andNot(acknowledged);
        return new ChaosReport(seed, rounds, planned, faults.applied(), producer.sent(), acknowledged.cardinality(),
                producer.failedCount(), read[0], lost.cardinality(), duplicated[0], outOfOrder[0],
                unacknowledgedPresent.cardinality(), divergentPartitions(cluster, highWatermarks), secondsPerRound,
                lost.isEmpty() ? "no acknowledged record lost" : "lost, first " + lost.nextSetBit(0));
    }

    /** Stops every node (kill -9: nothing changes the logs after) and compares their replicas below the HW. */
    private static List<Integer> divergentPartitions(RunnelProcessCluster cluster,
                                                     Map<TopicPartition, Long> highWatermarks) throws Exception {
        List<RunnelProcess> nodes = cluster.nodeIds().stream().map(cluster::node).toList();
        nodes.forEach(RunnelProcess::kill9);
        List<Integer> divergent = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : highWatermarks.entrySet()) {
            int partition = e.getKey().partition();
            ReplicaLogs.Content first = ReplicaLogs.below(nodes.get(0).logDir(), TOPIC, partition, e.getValue());
            for (RunnelProcess node : nodes.subList(1, nodes.size())) {
                if (!first.equals(ReplicaLogs.below(node.logDir(), TOPIC, partition, e.getValue()))) {
                    divergent.add(partition);
                    break;
                }
            }
        }
        return divergent;
    }
}
