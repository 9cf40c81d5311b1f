package io.runnel.it.replication;

import io.runnel.broker.replica.Partition;
import io.runnel.it.RunnelCluster;
import io.runnel.it.wire.RawRequests;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka's ISR replication on three in-process nodes, judged by the real producer, consumer and Admin client. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static ThreeNodes nodes;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        nodes = ThreeNodes.start();
        cluster = nodes.cluster;
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static void createTopic(String name) throws Exception {
        nodes.createTopic(name);
    }

    private static TopicPartitionInfo describe(String topic) {
        return nodes.describe(topic);
    }

    private static int leaderOf(String topic) {
        return nodes.leaderOf(topic);
    }

    /** The node's replica of the topic's partition, once the node has applied its leadership. */
    private static Partition leaderPartition(int node, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        awaitCondition(WAIT, () -> {
            try {
                return cluster.server(node).replicaManager().leaderPartition(tp) != null;
            } catch (RuntimeException e) {
                return false;
            }
        }, "node " + node + " leads " + tp);
        return cluster.server(node).replicaManager().leaderPartition(tp);
    }

    private static KafkaProducer<String, String> producer(String... overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        for (int i = 0; i < overrides.length; i += 2) {
            props.put(overrides[i], overrides[i + 1]);
        }
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Every record of the topic from the start, read through the leader below the high watermark. */
    private static List<String> readAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            awaitCondition(WAIT, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= expected && consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp);
            }, "read " + expected + " records of " + topic);
        }
        return values;
    }

    private static byte[] segment(int node, String topic) {
        Path file = cluster.logDir(node).resolve(topic + "-0").resolve("00000000000000000000.log");
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aTopicWithThreeReplicasKeepsAFullIsrAndIdenticalLogs() throws Exception {
        String topic = "three-replicas";
        createTopic(topic);
        try (KafkaProducer<String, String> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
        awaitCondition(WAIT, () -> nodes.isrSize(topic) == 3, "a full ISR");
        awaitCondition(WAIT, () -> {
            byte[] first = segment(1, topic);
            return first.length > 0 && Arrays.equals(first, segment(2, topic)) && Arrays.equals(first, segment(3, topic));
        }, "the three replicas hold the same batches");
        assertEquals(2000, leaderPartition(leaderOf(topic), topic).log().highWatermark());
        List<String> values = readAll(topic, 2000);
        assertEquals(2000, values.size());
        assertEquals("v1999", values.get(1999));
    }

    @Test
    void acksAllIsAnsweredOnlyAfterTheFollowersHaveTheRecord() throws Exception {
        String topic = "acks-all-waits";
        createTopic(topic);
        int leader = leaderOf(topic);
        List<Integer> followers = cluster.nodeIds().stream().filter(n -> n != leader).toList();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "first")).get();
            Partition partition = leaderPartition(leader, topic);
            nodes.pauseFetching(followers, true);
            try {
                Future<RecordMetadata> parked = producer.send(new ProducerRecord<>(topic, "second"));
                awaitCondition(WAIT, () -> partition.log().logEndOffset() == 2, "the leader appended the record");
                assertEquals(1, partition.log().highWatermark(), "the followers do not have it");
                assertFalse(parked.isDone(), "acks=all waits for the followers");
            } finally {
                nodes.pauseFetching(followers, false);
            }
            producer.flush();
            assertEquals(2, partition.log().highWatermark());
        }
        assertEquals(List.of("first", "second"), readAll(topic, 2));
    }

    @Test
    void afterTheLeaderStopsAnIsrMemberLeadsAndEveryAcknowledgedRecordIsReadOnceInOrder() throws Exception {
        String topic = "failover";
        createTopic(topic);
        int oldLeader = leaderOf(topic);
        int oldEpoch = leaderPartition(oldLeader, topic).leaderEpoch();
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        int total = 3000;
        try (KafkaProducer<String, String> producer = producer(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000", ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000")) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                String value = Integer.toString(i);
                sent.add(producer.send(new ProducerRecord<>(topic, value), (m, e) -> {
                    if (e == null) {
                        acknowledged.add(value);
                    }
                }));
                if (i == total / 3) {
                    sent.get(i).get();
                    cluster.stop(oldLeader);
                }
            }
            producer.flush();
        }
        int newLeader = leaderOf(topic);
        assertNotEquals(oldLeader, newLeader);
        assertTrue(leaderPartition(newLeader, topic).leaderEpoch() > oldEpoch, "a new leader epoch");
        assertFalse(acknowledged.isEmpty());
        List<String> read = readAll(topic, acknowledged.size());
        assertEquals(read.size(), read.stream().distinct().count(), "no record twice");
        assertTrue(read.containsAll(acknowledged), "every acknowledged record is there");
        List<Integer> order = read.stream().map(Integer::valueOf).collect(Collectors.toList());
        for (int i = 1; i < order.size(); i++) {
            assertTrue(order.get(i - 1) < order.get(i), "in send order at " + i + ": " + order);
        }
        cluster.start(oldLeader);
        awaitCondition(WAIT, () -> nodes.isrSize(topic) == 3, "the old leader rejoins the ISR");
    }

    @Test
    void aBrokerStoppedBeforeWritingAPartitionsTopicIdAdoptsTheDirectoryAndRejoinsTheIsr() throws Exception {
        String topic = "no-topic-id";
        createTopic(topic);
        int follower = cluster.nodeIds().stream().filter(n -> n != leaderOf(topic)).findFirst().orElseThrow();
        awaitCondition(WAIT, () -> nodes.isrSize(topic) == 3, "a full ISR");
        cluster.stop(follower);
        // As a broker stopped between creating the partition's directory and writing its partition.metadata leaves it.
        Files.delete(cluster.logDir(follower).resolve(topic + "-0").resolve("partition.metadata"));
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "while-down")).get();
        }
        cluster.start(follower);
        awaitCondition(WAIT, () -> nodes.isrSize(topic) == 3, "node " + follower + " rejoins the ISR");
        String later = "created-after-restart";
        createTopic(later);
        awaitCondition(WAIT, () -> cluster.server(follower).replicaManager().appliedImage().topicsByName()
                .containsKey(later), "node " + follower + " applies the metadata that follows");
        assertTrue(Files.exists(cluster.logDir(follower).resolve(topic + "-0").resolve("partition.metadata")),
                "the topic id is written");
    }

    @Test
    void aPartitionWhoseLogCannotBeCreatedLeavesTheBrokerApplyingTheRestAndIsHostedOnceItCan() throws Exception {
        String topic = "blocked";
        int node = cluster.nodeIds().get(2);
        // A file where the partition's directory must go: creating its log fails on that node, as a storage error would.
        Path blocker = cluster.logDir(node).resolve(topic + "-0");
        Files.writeString(blocker, "not a directory");
        createTopic(topic);
        String later = "after-blocked";
        createTopic(later);
        awaitCondition(WAIT, () -> cluster.server(node).replicaManager().appliedImage().topicsByName()
                .containsKey(later), "node " + node + " applies the metadata that follows");
        Files.delete(blocker);
        awaitCondition(WAIT, () -> Files.isDirectory(blocker) && nodes.isrSize(topic) == 3,
                "node " + node + " hosts " + topic + "-0 and is in its ISR");
    }

    @Test
    void aProduceToAFollowerIsRefusedWithTheCurrentLeader() throws Exception {
        String topic = "leader-hint";
        createTopic(topic);
        int leader = leaderOf(topic);
        int epoch = leaderPartition(leader, topic).leaderEpoch();
        int follower = cluster.nodeIds().stream().filter(n -> n != leader).findFirst().orElseThrow();
        awaitCondition(WAIT, () -> cluster.server(follower).replicaManager().image().topicsByName().containsKey(topic),
                "node " + follower + " knows " + topic);
        String[] hostPort = cluster.node(follower).bootstrapServers().split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            ByteBuffer request = RawRequests.produce(1, topic, 0, RawRequests.recordBatch(1));
            byte[] bytes = new byte[request.remaining()];
            request.duplicate().get(bytes);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            ProduceResponseData.PartitionProduceResponse response =
                    RawRequests.producePartitionResponse(ByteBuffer.wrap(frame), 1);
            assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), response.errorCode());
            assertEquals(leader, response.currentLeader().leaderId(), "KIP-951: the current leader");
            assertEquals(epoch, response.currentLeader().leaderEpoch());
        }
    }

    @Test
    void anOldLeaderTruncatesTheSuffixOnlyItHad() throws Exception {
        String topic = "divergent";
        createTopic(topic);
        int oldLeader = leaderOf(topic);
        List<Integer> followers = cluster.nodeIds().stream().filter(n -> n != oldLeader).toList();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "replicated")).get();
        }
        awaitCondition(WAIT, () -> followers.stream().allMatch(n -> segment(n, topic).length == segment(oldLeader, topic).length),
                "the followers have the first record");
        nodes.pauseFetching(followers, true);
        try (KafkaProducer<String, String> producer = producer(ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false")) {
            producer.send(new ProducerRecord<>(topic, "only-on-the-old-leader")).get();
        }
        assertEquals(2, leaderPartition(oldLeader, topic).log().logEndOffset());
        cluster.stop(oldLeader);
        nodes.pauseFetching(followers, false);
        int newLeader = leaderOf(topic);
        assertNotEquals(oldLeader, newLeader);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "after")).get();
        }
        cluster.start(oldLeader);
        awaitCondition(WAIT, () -> {
            byte[] leaderLog = segment(newLeader, topic);
            return Arrays.equals(leaderLog, segment(oldLeader, topic));
        }, "the old leader truncated its suffix and holds the new leader's batches");
        assertArrayEquals(segment(newLeader, topic), segment(oldLeader, topic));
        assertEquals(List.of("replicated", "after"), readAll(topic, 2));
    }
}
