package io.runnel.it.logdirs;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker 2 of three keeps its partitions in two log dirs, the second a small tmpfs that fills up while an acks=all
 * producer writes: that dir goes offline, the partitions in it (led by broker 2, or followed) get a leader among the
 * other ISR members and broker 2 leaves their ISR, broker 2 goes on serving the partitions of its other dir, and every
 * acknowledged record is read back.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LogDirFailureTest {
    private static final String TOPIC = "jbod-failure";
    /** Broker 2 leads the first four and follows broker 1 on the others; each of its dirs holds three. */
    private static final int PARTITIONS = 6;
    private static final int LED_BY_TWO = 4;
    private static final int FAILING_BROKER = 2;
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Records of 1 KB: each partition has index entries before the disk fills, so none needs a new index page. */
    private static final String PADDING = "x".repeat(1000);

    @TempDir
    Path root;

    @Test
    void aFullDiskTakesItsDirOfflineAndItsPartitionsMoveWithoutLosingAcknowledgedRecords() throws Exception {
        Path disk = Files.createDirectories(root.resolve("disk"));
        Path small = Files.createDirectories(root.resolve("small"));
        try (Tmpfs tmpfs = Tmpfs.mount(small, "8m");
             RunnelCluster cluster = RunnelCluster.builder().nodes(3)
                     .nodeProperty(FAILING_BROKER, "log.dirs", disk + "," + small).start();
             Admin admin = cluster.admin()) {
            Map<Integer, List<Integer>> assignment = new HashMap<>();
            IntStream.range(0, PARTITIONS).forEach(p -> assignment.put(p, List.of(firstLeader(p),
                    p < LED_BY_TWO ? 1 : FAILING_BROKER, 3)));
            get(admin.createTopics(List.of(new NewTopic(TOPIC, assignment)
                    .configs(Map.of("min.insync.replicas", "2")))).all());
            Await.awaitCondition(WAIT, () -> partitions(admin).stream().allMatch(p -> p.leader() != null
                    && p.leader().id() == firstLeader(p.partition()) && p.isr().size() == 3),
                    "every partition led by its first replica with the full ISR");
            // The ISR names every replica from the topic's creation on: broker 2's logs may still be on their way.
            Await.awaitCondition(WAIT, () -> IntStream.range(0, PARTITIONS).allMatch(p -> Files.isDirectory(
                    disk.resolve(TOPIC + "-" + p)) || Files.isDirectory(small.resolve(TOPIC + "-" + p))),
                    "broker " + FAILING_BROKER + " hosts every partition");
            Set<Integer> onSmall = IntStream.range(0, PARTITIONS)
                    .filter(p -> Files.isDirectory(small.resolve(TOPIC + "-" + p))).boxed().collect(Collectors.toSet());
            assertEquals(3, onSmall.size(), "three of six partitions in each dir of broker 2: " + onSmall);

            Queue<String> acked = new ConcurrentLinkedQueue<>();
            Queue<String> failed = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> write(cluster, stop, acked, failed), "jbod-writer");
            writer.start();
            try {
                Await.awaitCondition(WAIT, () -> acked.size() >= 200, "200 records acknowledged");
                tmpfs.fill();
                Await.awaitCondition(WAIT, () -> partitions(admin).stream().filter(p -> onSmall.contains(p.partition()))
                        .allMatch(p -> p.leader() != null && p.leader().id() != FAILING_BROKER
                                && p.isr().stream().noneMatch(n -> n.id() == FAILING_BROKER)),
                        "the partitions of the full dir are led by another broker, broker 2 out of their ISR");
                int ackedAtFailover = acked.size();
                Await.awaitCondition(WAIT, () -> acked.size() >= ackedAtFailover + 200,
                        "200 more records acknowledged after the failover");
            } finally {
                stop.set(true);
                writer.join();
            }
            for (TopicPartitionInfo p : partitions(admin)) {
                if (!onSmall.contains(p.partition())) {
                    assertEquals(firstLeader(p.partition()), p.leader().id(), "leader of partition " + p.partition());
                    assertEquals(3, p.isr().size(), "full ISR of partition " + p.partition());
                }
            }
            Map<String, LogDirDescription> dirs = Futures.get(admin.describeLogDirs(List.of(FAILING_BROKER))
                    .allDescriptions()).get(FAILING_BROKER);
            assertInstanceOf(KafkaStorageException.class, dirs.get(small.toAbsolutePath().toString()).error());
            assertNull(dirs.get(disk.toAbsolutePath().toString()).error());

            Set<String> read = readAll(cluster);
            Set<String> lost = new HashSet<>(acked);
            lost.removeAll(read);
            assertEquals(Set.of(), lost, "acknowledged records missing (of " + acked.size() + " acknowledged, "
                    + failed.size() + " failed)");
        }
    }

    private static int firstLeader(int partition) {
        return partition < LED_BY_TWO ? FAILING_BROKER : 1;
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) {
        TopicDescription topic = Futures.get(admin.describeTopics(List.of(TOPIC)).allTopicNames()).get(TOPIC);
        return topic.partitions();
    }

    /** Round robin over the partitions, 20 records at a time, until told to stop. */
    private static void write(RunnelCluster cluster, AtomicBoolean stop, Queue<String> acked, Queue<String> failed) {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            for (int i = 0; !stop.get(); i++) {
                String value = i + "-" + PADDING;
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value.getBytes(StandardCharsets.UTF_8)),
                        (metadata, error) -> (error == null ? acked : failed).add(value));
                if (i % 20 == 19) {
                    producer.flush();
                }
            }
        }
    }

    private static Set<String> readAll(RunnelCluster cluster) {
        Set<String> values = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            List<TopicPartition> tps = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            Await.awaitCondition(WAIT, () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
                return tps.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            }, "every partition read to its end");
        }
        return values;
    }
}
