package io.runnel.it.logdirs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.junit.jupiter.api.Test;

/**
 * Three brokers with two log dirs each, as Admin.describeLogDirs and describeReplicaLogDirs see them: every broker
 * spreads a four-partition topic over its two dirs, two partitions each, and every replica of a partition reports the
 * size of the same records.
 */
class DescribeLogDirsTest {
    private static final String TOPIC = "jbod";
    private static final int PARTITIONS = 4;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @Test
    void everyBrokerReportsItsDirsWithTheirPartitionsAndSizes() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().nodes(3).logDirsPerNode(2).start();
             Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3))).all().get();
            Properties acksAll = new Properties();
            acksAll.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer(acksAll)) {
                for (int p = 0; p < PARTITIONS; p++) {
                    for (int i = 0; i <= p * 10; i++) {
                        producer.send(new ProducerRecord<>(TOPIC, p, null, ("p" + p + "-" + i).getBytes())).get();
                    }
                }
            }
            List<Integer> brokers = cluster.nodeIds();
            Await.awaitCondition(SETTLE, () -> sameSizeOnEveryReplica(admin, brokers),
                    "every replica of each partition holds the same bytes");
            Map<Integer, Map<String, LogDirDescription>> described = Futures.get(
                    admin.describeLogDirs(brokers).allDescriptions());
            for (int broker : brokers) {
                Map<String, LogDirDescription> dirs = described.get(broker);
                Set<String> expected = cluster.logDirs(broker).stream().map(d -> d.toAbsolutePath().toString())
                        .collect(Collectors.toSet());
                assertEquals(expected, dirs.keySet(), "broker " + broker + "'s log dirs");
                Set<Integer> seen = new HashSet<>();
                for (LogDirDescription dir : dirs.values()) {
                    assertEquals(null, dir.error(), "no error");
                    Set<Integer> inDir = partitionsOf(dir);
                    assertEquals(2, inDir.size(), "two of the four partitions in " + dir);
                    seen.addAll(inDir);
                    assertTrue(dir.totalBytes().orElseThrow() > 0, "total bytes");
                    assertTrue(dir.usableBytes().orElseThrow() <= dir.totalBytes().orElseThrow(), "usable bytes");
                }
                assertEquals(Set.of(0, 1, 2, 3), seen, "broker " + broker + " holds every partition once");
            }

            TopicPartitionReplica replica = new TopicPartitionReplica(TOPIC, 2, brokers.get(1));
            ReplicaLogDirInfo info = Futures.get(admin.describeReplicaLogDirs(List.of(replica)).all()).get(replica);
            Path dir = cluster.logDirs(brokers.get(1)).stream()
                    .filter(d -> d.resolve(TOPIC + "-2").toFile().isDirectory()).findFirst().orElseThrow();
            assertEquals(dir.toAbsolutePath().toString(), info.getCurrentReplicaLogDir(), "the replica's dir");
        }
    }

    private static Set<Integer> partitionsOf(LogDirDescription dir) {
        return dir.replicaInfos().keySet().stream().filter(tp -> tp.topic().equals(TOPIC))
                .map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private static boolean sameSizeOnEveryReplica(Admin admin, List<Integer> brokers) {
        Map<TopicPartition, List<Long>> sizes = new HashMap<>();
        Futures.get(admin.describeLogDirs(brokers).allDescriptions()).values().forEach(dirs -> dirs.values()
                .forEach(dir -> dir.replicaInfos().forEach((tp, replica) -> {
                    if (tp.topic().equals(TOPIC)) {
                        sizes.computeIfAbsent(tp, k -> new ArrayList<>()).add(replica.size());
                    }
                })));
        return sizes.size() == PARTITIONS && sizes.values().stream().allMatch(s -> s.size() == brokers.size()
                && new HashSet<>(s).size() == 1 && s.get(0) > 0);
    }
}
