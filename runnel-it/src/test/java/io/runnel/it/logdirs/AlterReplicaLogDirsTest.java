package io.runnel.it.logdirs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeReplicaLogDirsResult.ReplicaLogDirInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.errors.LogDirNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Admin.alterReplicaLogDirs on a broker with two log dirs: a partition moves to the other dir while an idempotent
 * acks=all producer keeps writing; every acknowledged record is then read exactly once, in order, from the new dir
 * only, also after a restart; a dir not in log.dirs is LOG_DIR_NOT_FOUND.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AlterReplicaLogDirsTest {
    private static final String TOPIC = "moving";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Records written before the move, so that there is a log to copy; 500-byte values make it a few MB. */
    private static final int BEFORE_MOVE = 10_000;
    private static final int AFTER_MOVE = 2_000;

    @Test
    void aPartitionMovesToTheOtherDirWhileAnIdempotentProducerWrites() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().nodes(1).logDirsPerNode(2).start();
             Admin admin = cluster.admin()) {
            int broker = cluster.nodeIds().get(0);
            cluster.createTopic(TOPIC, 1);
            Path from = dirHolding(cluster, broker);
            Path to = cluster.logDirs(broker).stream().filter(d -> !d.equals(from)).findFirst().orElseThrow();
            TopicPartitionReplica replica = new TopicPartitionReplica(TOPIC, 0, broker);

            ConcurrentSkipListMap<Long, Integer> acked = new ConcurrentSkipListMap<>();
            try (ContinuousProducer producer = new ContinuousProducer(cluster, acked)) {
                Await.awaitCondition(WAIT, () -> acked.size() >= BEFORE_MOVE, BEFORE_MOVE + " records acknowledged");
                Futures.get(admin.alterReplicaLogDirs(Map.of(replica, to.toString())).all());
                Await.awaitCondition(WAIT, () -> movedTo(admin, replica, to), "the replica lives in " + to);
                int afterMove = acked.size() + AFTER_MOVE;
                Await.awaitCondition(WAIT, () -> acked.size() >= afterMove, "records acknowledged after the move");
            }
            assertEveryAckedRecordOnceInOrder(cluster, acked);
            assertTrue(Files.isDirectory(to.resolve(TOPIC + "-0")), "the partition is in " + to);
            assertFalse(Files.exists(from.resolve(TOPIC + "-0")), "the partition left " + from);
            assertTrue(partitionDirs(to).stream().noneMatch(n -> n.endsWith("-future")), "no copy is left");

            ExecutionException unknown = assertThrows(ExecutionException.class, () -> admin.alterReplicaLogDirs(
                    Map.of(replica, from.resolveSibling("not-a-log-dir").toString())).all().get());
            assertInstanceOf(LogDirNotFoundException.class, unknown.getCause());

            cluster.restart();
            try (Admin restarted = cluster.admin()) {
                Await.awaitCondition(WAIT, () -> movedTo(restarted, replica, to), "the replica still lives in " + to);
            }
            assertEveryAckedRecordOnceInOrder(cluster, acked);
            assertFalse(Files.exists(from.resolve(TOPIC + "-0")), "no second current log after the restart");
        }
    }

    private static Path dirHolding(RunnelCluster cluster, int broker) {
        return cluster.logDirs(broker).stream().filter(d -> Files.isDirectory(d.resolve(TOPIC + "-0"))).findFirst()
                .orElseThrow();
    }

    private static List<String> partitionDirs(Path logDir) {
        String[] names = logDir.toFile().list((File d, String n) -> n.startsWith(TOPIC + "-"));
        return names == null ? List.of() : List.of(names);
    }

    private static boolean movedTo(Admin admin, TopicPartitionReplica replica, Path dir) {
        ReplicaLogDirInfo info = Futures.get(admin.describeReplicaLogDirs(List.of(replica)).all()).get(replica);
        return dir.toAbsolutePath().toString().equals(info.getCurrentReplicaLogDir())
                && info.getFutureReplicaLogDir() == null;
    }

    /** Reads the partition from its start: offset i holds the i-th acknowledged record, each read once. */
    private static void assertEveryAckedRecordOnceInOrder(RunnelCluster cluster,
                                                          ConcurrentSkipListMap<Long, Integer> acked) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            Await.awaitCondition(WAIT, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= acked.size();
            }, acked.size() + " records read");
        }
        assertEquals(acked.size(), read.size(), "records read");
        long expectedOffset = 0;
        for (ConsumerRecord<byte[], byte[]> record : read) {
            assertEquals(expectedOffset, record.offset(), "offsets without gaps or repeats");
            assertEquals(acked.get(record.offset()), sequence(record.value()), "record at offset " + record.offset());
            expectedOffset++;
        }
        assertEquals(acked.lastKey() + 1, expectedOffset, "the last acknowledged record was read");
    }

    private static int sequence(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        return Integer.parseInt(text.substring(0, text.indexOf(' ')));
    }

    /** Sends records numbered 0, 1, 2... with an idempotent acks=all producer until closed; remembers the acked. */
    private static final class ContinuousProducer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Thread thread;

        ContinuousProducer(RunnelCluster cluster, ConcurrentSkipListMap<Long, Integer> acked) {
            Properties props = new Properties();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            String padding = " " + "x".repeat(500);
            thread = new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
                    for (int i = 0; running.get(); i++) {
                        int sequence = i;
                        producer.send(new ProducerRecord<>(TOPIC, 0, null,
                                (sequence + padding).getBytes(StandardCharsets.UTF_8)), (metadata, e) -> {
                                    if (e != null) {
                                        failure.compareAndSet(null, e);
                                    } else {
                                        acked.put(metadata.offset(), sequence);
                                    }
                                });
                    }
                    producer.flush();
                }
            }, "continuous-producer");
            thread.start();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(120));
            assertFalse(thread.isAlive(), "the producer stopped");
            if (failure.get() != null) {
                throw new AssertionError("A send failed", failure.get());
            }
        }
    }
}
