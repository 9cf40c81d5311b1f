package io.runnel.it.replication;

import static io.runnel.it.Await.awaitCondition;
import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.runnel.it.ClusterAdmin;
import io.runnel.it.KafkaEndpoint;
import io.runnel.it.NamespacedProcessCluster;
import io.runnel.it.TopicReader;
import io.runnel.it.wire.ApiConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A network partition of one broker, the active controller, which leads two of the topic's three partitions.
 * Each node runs in its own network namespace, joined to the others by a bridge in the root namespace; the cut is
 * a pair of blackhole routes between the isolated namespace and each other one, so the test JVM (root namespace)
 * still reaches all three (see {@link io.runnel.it.NetworkNamespaces}; needs root and iproute2, skipped otherwise).
 * Cut off, the node keeps believing it leads and appends what its producer sends, but acks=all with
 * min.insync.replicas=2 cannot be answered: that producer gets errors, no acknowledgement. The majority elects a
 * controller, fences the node, moves its leaderships within the ISR (and fences no one else: each partition's
 * leader epoch moves at most once), and serves acks=all produce and fetch; a CreateTopics sent to the isolated
 * node is answered with REQUEST_TIMED_OUT and never takes effect. Healed, the node truncates what only it had,
 * catches up and rejoins every ISR: all replica logs are byte-identical, and every acknowledged record of both
 * producers is read once.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class NetworkPartitionTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "split";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_PHASE = 30;
    private static final String MINORITY_TOPIC = "made-in-the-minority";
    private static final Map<String, String> FAST_SESSIONS = Map.of(
            "broker.heartbeat.interval.ms", "300", "broker.session.timeout.ms", "3000",
            "replica.lag.time.max.ms", "5000");

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    @Test
    void anIsolatedLeaderLosesItsLeadershipsAcknowledgesNothingItCannotKeepAndRejoins() throws Exception {
        try (NamespacedProcessCluster cluster = NamespacedProcessCluster.start(3, FAST_SESSIONS)) {
            int isolated;
            try (Admin admin = ClusterAdmin.admin(cluster)) {
                isolated = ClusterAdmin.activeController(admin, WAIT);
            }
            List<Integer> majority = cluster.nodeIds().stream().filter(id -> id != isolated).toList();
            KafkaEndpoint majorityNodes = cluster.nodes(majority);
            createTopic(cluster, isolated, majority);

            try (KafkaProducer<byte[], byte[]> producer = majorityNodes.producer(acksAll(true))) {
                sendAndRequireAcks(producer, "majority-before", -1);
            }
            try (KafkaProducer<byte[], byte[]> isolatedProducer = cluster.node(isolated).producer(oneTry())) {
                sendAndRequireAcks(isolatedProducer, "isolated-before", 0);

                cluster.isolate(isolated);
                Map<Future<RecordMetadata>, String> cutOff = send(isolatedProducer, "isolated-during", 0);

                try (Admin admin = ClusterAdmin.admin(majorityNodes)) {
                    awaitCondition(WAIT, () -> movedAway(admin, isolated, majority),
                            "the majority moves the isolated node's leaderships within the ISR and drops it from"
                                    + " every ISR");
                }
                try (KafkaProducer<byte[], byte[]> producer = majorityNodes.producer(acksAll(true))) {
                    sendAndRequireAcks(producer, "majority-during", -1);
                }
                assertAllRead(readOnce(majorityNodes), "the majority serves every acknowledged record");
                assertCreateTopicsTimesOut(cluster.node(isolated));

                assertEquals(cutOff.size(), awaitOutcomes(cutOff),
                        "the isolated leader acknowledges none of the records it cannot commit");
                assertFalse(Arrays.equals(segments(cluster, isolated, 0), segments(cluster, majority.get(0), 0)),
                        "the isolated node's log of partition 0 diverged from the majority's");
            }

            cluster.heal(isolated);
            try (Admin admin = ClusterAdmin.admin(cluster)) {
                awaitCondition(WAIT, () -> fullIsr(admin), "the healed node rejoins the ISR of every partition");
            }
            assertEquals(Map.of(0, 1, 1, 1, 2, 0), leaderEpochs(majorityNodes), "leader epochs: the isolated node's"
                    + " partitions changed leader once, the majority's nodes were never fenced");
            for (int p = 0; p < PARTITIONS; p++) {
                int partition = p;
                awaitCondition(WAIT, () -> {
                    byte[] first = segments(cluster, 1, partition);
                    return Arrays.equals(first, segments(cluster, 2, partition))
                            && Arrays.equals(first, segments(cluster, 3, partition));
                }, "the three replicas of partition " + p + " hold the same batches");
            }
            assertAllRead(readOnce(majorityNodes), "every acknowledged record survives the heal");
            try (Admin admin = ClusterAdmin.admin(majorityNodes)) {
                assertFalse(get(admin.listTopics().names()).contains(MINORITY_TOPIC),
                        "the CreateTopics the isolated node answered REQUEST_TIMED_OUT never takes effect");
            }
        }
    }



    /** Partitions 0 and 1 led by the node to isolate, partition 2 by a majority node; min.insync.replicas=2. */
    private static void createTopic(NamespacedProcessCluster cluster, int isolated, List<Integer> majority) {
        int a = majority.get(0);
        int b = majority.get(1);
        Map<Integer, List<Integer>> assignment = Map.of(0, List.of(isolated, a, b), 1, List.of(isolated, b, a),
                2, List.of(a, b, isolated));
        try (Admin admin = ClusterAdmin.admin(cluster)) {
            get(admin.createTopics(List.of(new NewTopic(TOPIC, assignment)
                    .configs(Map.of("min.insync.replicas", "2")))).all());
            awaitCondition(WAIT, () -> {
                List<TopicPartitionInfo> partitions = partitions(admin);
                return partitions != null && fullIsr(admin) && partitions.stream().allMatch(p -> p.leader() != null
                        && p.leader().id() == assignment.get(p.partition()).get(0));
            }, TOPIC + " has its preferred leaders and full ISRs");
        }
    }

    private static Properties acksAll(boolean idempotent) {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
        return props;
    }

    /**
     * One attempt per record, so that each outcome is the answer of the leader it was sent to; the metadata is not
     * refreshed on its own, so the producer keeps sending to the node it believes leads.
     */
    private static Properties oneTry() {
        Properties props = acksAll(false);
        props.put(ProducerConfig.RETRIES_CONFIG, "0");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, "600000");
        return props;
    }

    /** Sends a phase's records to {@code partition}, or spread over all partitions if it is -1. */
    private static Map<Future<RecordMetadata>, String> send(KafkaProducer<byte[], byte[]> producer, String phase,
                                                            int partition) {
        Map<Future<RecordMetadata>, String> sent = new HashMap<>();
        int count = partition < 0 ? RECORDS_PER_PHASE : RECORDS_PER_PHASE / PARTITIONS;
        for (int i = 0; i < count; i++) {
            String value = phase + "-" + i;
            int p = partition < 0 ? i % PARTITIONS : partition;
            sent.put(producer.send(new ProducerRecord<>(TOPIC, p, null, value.getBytes(StandardCharsets.UTF_8))),
                    value);
        }
        producer.flush();
        return sent;
    }

    private void sendAndRequireAcks(KafkaProducer<byte[], byte[]> producer, String phase, int partition) {
        send(producer, phase, partition).forEach((future, value) -> {
            get(future);
            acknowledged.add(value);
        });
    }

    /** Waits for every send to be answered; records the acknowledged ones and returns how many failed. */
    private int awaitOutcomes(Map<Future<RecordMetadata>, String> sent) throws InterruptedException {
        int failed = 0;
        for (Map.Entry<Future<RecordMetadata>, String> send : sent.entrySet()) {
            try {
                send.getKey().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                acknowledged.add(send.getValue());
            } catch (ExecutionException e) {
                failed++;
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the producer never answered " + send.getValue(), e);
            }
        }
        return failed;
    }

    /** Partitions 0 and 1 led by a majority node, and the isolated node in no ISR, as a majority node says. */
    private static boolean movedAway(Admin admin, int isolated, List<Integer> majority) {
        List<TopicPartitionInfo> partitions = partitions(admin);
        return partitions != null && partitions.stream().allMatch(p -> p.leader() != null
                && majority.contains(p.leader().id()) && p.isr().stream().noneMatch(n -> n.id() == isolated));
    }

    private static boolean fullIsr(Admin admin) {
        List<TopicPartitionInfo> partitions = partitions(admin);
        return partitions != null && partitions.stream().allMatch(p -> p.isr().size() == 3);
    }

    /** The topic's partitions, or null while the node asked does not answer. */
    private static List<TopicPartitionInfo> partitions(Admin admin) {
        TopicDescription description = ClusterAdmin.describeOrNull(admin, TOPIC);
        return description == null ? null : description.partitions();
    }

    /** A CreateTopics sent to the isolated node itself is answered, with REQUEST_TIMED_OUT and a message. */
    private static void assertCreateTopicsTimesOut(KafkaEndpoint isolated) throws IOException {
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName(MINORITY_TOPIC).setNumPartitions(1)
                .setReplicationFactor((short) 3));
        try (ApiConnection connection = new ApiConnection(isolated.bootstrapServers(), "partitioned")) {
            connection.setReadTimeout(WAIT);
            CreateTopicsResponseData response = (CreateTopicsResponseData) connection.send(
                    new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(60_000), (short) 7);
            CreateTopicsResponseData.CreatableTopicResult result = response.topics().find(MINORITY_TOPIC);
            assertNotNull(result, "the answer names the topic: " + response);
            assertEquals(Errors.REQUEST_TIMED_OUT, Errors.forCode(result.errorCode()), response.toString());
            assertNotNull(result.errorMessage(), response.toString());
        }
    }

    private void assertAllRead(Map<String, Integer> read, String message) {
        assertEquals(List.of(), acknowledged.stream().filter(value -> !read.containsKey(value)).sorted().toList(),
                message + ": acknowledged records not read");
    }

    /** The leader epoch of each partition, as Metadata answers it. */
    private static Map<Integer, Integer> leaderEpochs(KafkaEndpoint endpoint) throws IOException {
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(TOPIC));
        try (ApiConnection connection = new ApiConnection(endpoint.bootstrapServers(), "leader-epochs")) {
            MetadataResponseData response = (MetadataResponseData) connection.send(request, (short) 12);
            return response.topics().find(TOPIC).partitions().stream().collect(Collectors.toMap(
                    MetadataResponseData.MetadataResponsePartition::partitionIndex,
                    MetadataResponseData.MetadataResponsePartition::leaderEpoch));
        }
    }

    /** Every record of the topic read from its beginning through {@code endpoint}, by value, with its count. */
    private static Map<String, Integer> readOnce(KafkaEndpoint endpoint) {
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = endpoint.consumer(new Properties())) {
            TopicReader.readAll(consumer, TopicReader.partitions(TOPIC, PARTITIONS), WAIT,
                    r -> counts.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum));
        }
        counts.forEach((value, count) -> assertEquals(1, count, value + " is read once"));
        return counts;
    }

    /** The bytes of a replica's segment files, in offset order. */
    private static byte[] segments(NamespacedProcessCluster cluster, int node, int partition) {
        Path dir = cluster.logDir(node).resolve(TOPIC + "-" + partition);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path segment : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                bytes.write(Files.readAllBytes(segment));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
