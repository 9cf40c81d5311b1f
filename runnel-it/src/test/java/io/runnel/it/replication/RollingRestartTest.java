package io.runnel.it.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelProcessCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart, as operators run one: each of three broker processes in turn gets SIGTERM (its controlled
 * shutdown moves its leaderships away first), is started again and rejoins every ISR before the next one stops,
 * while an idempotent producer writes with acks=all and a consumer group reads. Afterwards every acknowledged record
 * is in the topic exactly once and the group has read it, and no sample of the topic's metadata taken meanwhile
 * showed a partition without a leader.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class RollingRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "rolling";
    private static final int PARTITIONS = 3;
    private static final int IN_FLIGHT = 500;

    private final BitSet acknowledged = new BitSet();
    private final BitSet consumed = new BitSet();
    private final List<String> offlineSamples = new ArrayList<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();

    @Test
    void aRollingRestartUnderProduceAndConsumeLosesNothingAndLeavesNoPartitionOffline() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3,
                Map.of("default.replication.factor", "3", "min.insync.replicas", "2"))) {
            cluster.createTopic(TOPIC, PARTITIONS);
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try (Admin admin = ClusterAdmin.admin(cluster)) {
                Future<Integer> producer = threads.submit(() -> produce(cluster));
                Future<?> consumer = threads.submit(() -> consume(cluster));
                Future<?> sampler = threads.submit(() -> {
                    sample(cluster);
                    return null;
                });
                awaitAcknowledged(1_000);
                for (int node : cluster.nodeIds()) {
                    cluster.node(node).terminate();
                    cluster.node(node).start();
                    Await.awaitCondition(WAIT, () -> fullIsr(admin), "node " + node + " is back in every ISR");
                    awaitAcknowledged(acknowledgedCount() + 1_000);
                }
                stopping.set(true);
                int sent = producer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                sampler.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                BitSet expected = snapshot(acknowledged);
                Await.awaitCondition(WAIT, () -> {
                    BitSet missing = snapshot(expected);
                    missing.andNot(snapshot(consumed));
                    return missing.isEmpty();
                }, "the group reads every acknowledged record");
                consumer.cancel(true);
                assertTrue(expected.cardinality() > 3_000 && expected.cardinality() <= sent, expected.cardinality()
                        + " of " + sent + " records acknowledged");
            } finally {
                stopping.set(true);
                threads.shutdownNow();
            }
            assertEquals(List.of(), offlineSamples, "partitions without a leader in " + samples.get() + " samples");
            assertTrue(samples.get() > 0, "the metadata was sampled");
            assertEveryAcknowledgedRecordOnce(cluster);
        }
    }

    /** Sends numbered records round-robin over the partitions until stopped; returns how many were sent. */
    private int produce(RunnelProcessCluster cluster) throws InterruptedException {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        int seq = 0;
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            for (; !stopping.get(); seq++) {
                inFlight.acquire();
                int s = seq;
                producer.send(new ProducerRecord<>(TOPIC, s % PARTITIONS, null, value(s)), (metadata, e) -> {
                    if (e == null) {
                        synchronized (acknowledged) {
                            acknowledged.set(s);
                        }
                    }
                    inFlight.release();
                });
            }
            producer.flush();
        }
        return seq;
    }

    /** A group member that reads and commits until cancelled. */
    private void consume(RunnelProcessCluster cluster) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "rolling-group");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            consumer.subscribe(List.of(TOPIC));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    synchronized (consumed) {
                        consumed.set(seq(record.value()));
                    }
                }
                try {
                    consumer.commitSync();
                } catch (KafkaException e) {
                    // A rebalance or a coordinator move: the next poll rejoins, and uncommitted records come again.
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // cancelled
        }
    }

    /** Describes the topic every 100 ms until stopped, noting every answer that shows a partition without a leader. */
    private void sample(RunnelProcessCluster cluster) throws InterruptedException {
        try (Admin admin = ClusterAdmin.admin(cluster)) {
            while (!stopping.get()) {
                TopicDescription topic = ClusterAdmin.describeOrNull(admin, TOPIC);
                if (topic != null) {
                    samples.incrementAndGet();
                    for (TopicPartitionInfo p : topic.partitions()) {
                        if (p.leader() == null || p.leader().isEmpty()) {
                            synchronized (offlineSamples) {
                                offlineSamples.add(TOPIC + "-" + p.partition() + " with ISR " + p.isr());
                            }
                        }
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean fullIsr(Admin admin) {
        TopicDescription topic = ClusterAdmin.describeOrNull(admin, TOPIC);
        return topic != null && topic.partitions().stream().allMatch(p -> p.isr().size() == 3);
    }

    private void awaitAcknowledged(int count) {
        Await.awaitCondition(WAIT, () -> acknowledgedCount() >= count, count + " records acknowledged");
    }

    private int acknowledgedCount() {
        return snapshot(acknowledged).cardinality();
    }

    private void assertEveryAcknowledgedRecordOnce(RunnelProcessCluster cluster) {
        BitSet seen = new BitSet();
        List<Integer> duplicates = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = cluster.consumer(new Properties())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            Await.awaitCondition(WAIT, () -> {
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    int s = seq(record.value());
                    if (seen.get(s)) {
                        duplicates.add(s);
                    }
                    seen.set(s);
                }
                return partitions.stream().allMatch(tp -> reader.position(tp) >= ends.get(tp));
            }, "the whole topic is read");
        }
        BitSet lost = snapshot(acknowledged);
        lost.andNot(seen);
        assertEquals("{}", lost.toString(), "acknowledged records missing from the topic");
        assertEquals(List.of(), duplicates, "records written twice");
    }

    private static BitSet snapshot(BitSet set) {
        synchronized (set) {
            return (BitSet) set.clone();
        }
    }

    private static byte[] value(int seq) {
        return Integer.toString(seq).getBytes(StandardCharsets.UTF_8);
    }

    private static int seq(byte[] value) {
        return Integer.parseInt(new String(value, StandardCharsets.UTF_8));
    }
}
