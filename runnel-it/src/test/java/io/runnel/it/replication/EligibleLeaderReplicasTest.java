package io.runnel.it.replication;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelProcessCluster;
import io.runnel.it.TopicReader;
import io.runnel.tools.Runnel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Eligible leader replicas (KIP-966) with a dedicated controller (node 1) and three broker processes (2, 3, 4) holding
 * one partition with min.insync.replicas 2. The brokers stop one after another, the last one by kill -9: the replica
 * that left the ISR while it was below min.insync.replicas stays eligible, the one that crashed does not, so the
 * partition waits offline for the eligible one rather than taking a leader that may have lost records, then comes back
 * with every acknowledged record.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class EligibleLeaderReplicasTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "elr";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @Test
    void theLastReplicaStandingAfterACrashWaitsForTheEligibleOneAndNothingAcknowledgedIsLost() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(
                List.of("controller", "broker", "broker", "broker"), Map.of("min.insync.replicas", "2"));
             Admin admin = ClusterAdmin.admin(cluster)) {
            get(admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(2, 3, 4))))).all());
            List<String> acknowledged = new ArrayList<>(produce(cluster, "all", "a", 100));

            cluster.node(4).terminate();
            awaitPartition(admin, "4 stopped", 2, List.of(2, 3), List.of(), List.of());
            acknowledged.addAll(produce(cluster, "all", "b", 100));

            cluster.node(3).terminate();
            awaitPartition(admin, "3 stopped: it left an ISR at min.insync.replicas, so it holds every committed record",
                    2, List.of(2), List.of(3), List.of());
            List<String> uncommitted = produce(cluster, "1", "c", 10);
            assertEquals(200L, endOffset(cluster), "acks=1 records " + uncommitted + " on an ISR below "
                    + "min.insync.replicas stay above the high watermark");

            cluster.node(2).kill9();
            // Restarted before the controller fences it, 2 would re-register as the ISR's last member, which an
            // unclean shutdown leaves in place (as in Kafka): the test waits for the fence its session expiry brings,
            // seen through 4, which is neither in the ISR nor eligible and so cannot lead.
            cluster.node(4).start();
            awaitPartition(admin, "2 killed: fenced once its session expires, eligible as the ISR's last member",
                    -1, List.of(), List.of(3, 2), List.of());
            cluster.node(2).start();
            awaitPartition(admin, "2 is back from a crash: no longer eligible, the partition waits for 3",
                    -1, List.of(), List.of(3), List.of(2));
            assertEquals("\tTopic: elr\tPartition: 0\tLeader: none\tReplicas: 2,3,4\tIsr: \tElr: 3\tLastKnownElr: 2",
                    describeLine(cluster));

            cluster.node(3).start();
            awaitPartition(admin, "3 is back: the eligible replica leads, 2 and 4 follow it into the ISR", 3,
                    List.of(2, 3, 4), List.of(), List.of());
            assertEquals(acknowledged, readAll(cluster), "every acknowledged record, and only those");
        }
    }

    /** Sends {@code count} records with {@code acks}; returns their values once every one is acknowledged. */
    private static List<String> produce(RunnelProcessCluster cluster, String acks, String prefix, int count)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(acks.equals("all")));
        List<String> values = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            for (int i = 0; i < count; i++) {
                values.add(prefix + i);
                sends.add(producer.send(new ProducerRecord<>(TOPIC, 0, null,
                        (prefix + i).getBytes(StandardCharsets.UTF_8))));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        return values;
    }

    private static long endOffset(RunnelProcessCluster cluster) {
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            return consumer.endOffsets(List.of(TP)).get(TP);
        }
    }

    private static List<String> readAll(RunnelProcessCluster cluster) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            TopicReader.readAll(consumer, List.of(TP), WAIT,
                    r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        }
        return values;
    }

    private static void awaitPartition(Admin admin, String why, int leader, List<Integer> isr, List<Integer> elr,
                                       List<Integer> lastKnownElr) {
        AtomicReference<TopicPartitionInfo> last = new AtomicReference<>();
        try {
            Await.awaitCondition(WAIT, () -> {
                TopicDescription d = ClusterAdmin.describeOrNull(admin, TOPIC);
                if (d == null) {
                    return false;
                }
                TopicPartitionInfo p = d.partitions().get(0);
                last.set(p);
                return Optional.ofNullable(p.leader()).map(Node::id).orElse(-1) == leader
                        && ids(p.isr()).stream().sorted().toList().equals(isr.stream().sorted().toList())
                        && ids(p.elr()).equals(elr) && ids(p.lastKnownElr()).equals(lastKnownElr);
            }, why + ": leader " + leader + ", ISR " + isr + ", ELR " + elr + ", last known ELR " + lastKnownElr);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen " + last.get(), e);
        }
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    /** The partition's line of {@code runnel topics --describe}. */
    private static String describeLine(RunnelProcessCluster cluster) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Runnel.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("topics", "--bootstrap-server", cluster.bootstrapServers(), "--describe", "--topic",
                TOPIC);
        assertEquals(0, exit, err.toString());
        return out.toString().lines().filter(l -> l.contains("Partition: 0")).findFirst().orElseThrow();
    }
}
