package io.runnel.it.conformance;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.storage.MetaProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * The state a client finds on a used cluster, built with the real clients before any scenario runs: a topic whose
 * records (several batches, known timestamps) came from an idempotent producer, a classic group and a consumer-protocol
 * group each with a live member, and committed offsets.
 */
final class Fixture implements AutoCloseable {
    /** Two partitions: p0 holds {@link #RECORDS_P0} records in {@link #BATCHES_P0} batches, p1 holds {@link #RECORDS_P1}. */
    static final String TOPIC = "conformance-records";
    static final int RECORDS_P0 = 12;
    static final int BATCHES_P0 = 3;
    static final int RECORDS_P1 = 2;
    /** Where produce scenarios write, so that {@link #TOPIC} keeps its offsets. */
    static final String PRODUCE_TOPIC = "conformance-produce";
    /** Where DeleteRecords moves the log start, one offset per version. */
    static final String TRIM_TOPIC = "conformance-trim";
    static final int TRIM_RECORDS = 10;
    /** Where transaction scenarios write transactional batches and markers (two partitions). */
    static final String TXN_TOPIC = "conformance-txn";
    /**
     * The partitions (two) the transaction coordinator's scenarios add to their transactions, whose markers land
     * there, so that {@link #TOPIC} and {@link #TXN_TOPIC} keep their offsets and producers.
     */
    static final String COORDINATOR_TXN_TOPIC = "conformance-txn-coordinator";
    /** Whose configs scenarios alter. */
    static final String CONFIG_TOPIC = "conformance-configs";
    static final String CLASSIC_GROUP = "conformance-classic";
    static final String CONSUMER_GROUP = "conformance-consumer";
    /** What the classic group committed: p0 at {@link #COMMITTED_P0} with {@link #COMMITTED_METADATA}, p1 at 1. */
    static final long COMMITTED_P0 = 7;
    static final long COMMITTED_P1 = 1;
    static final String COMMITTED_METADATA = "conformance";
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** Longer than the suite: idle members must not be evicted while scenarios run. */
    private static final String MEMBER_TIMEOUT_MS = "600000";

    private final RunnelCluster cluster;
    private final Admin admin;
    private final List<KafkaConsumer<byte[], byte[]>> members = new ArrayList<>();
    private final long baseTimestamp = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
    private Uuid topicId;
    private Uuid produceTopicId;

    private Fixture(RunnelCluster cluster) {
        this.cluster = cluster;
        this.admin = cluster.admin();
    }

    static Fixture start() throws Exception {
        Fixture fixture = new Fixture(RunnelCluster.builder().start());
        try {
            fixture.populate();
            return fixture;
        } catch (Exception | Error e) {
            fixture.close();
            throw e;
        }
    }

    private void populate() throws Exception {
        topicId = cluster.createTopic(TOPIC, 2);
        produceTopicId = cluster.createTopic(PRODUCE_TOPIC, 1);
        cluster.createTopic(TRIM_TOPIC, 1);
        cluster.createTopic(CONFIG_TOPIC, 1);
        cluster.createTopic(TXN_TOPIC, 2);
        cluster.createTopic(COORDINATOR_TXN_TOPIC, 2);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            int perBatch = RECORDS_P0 / BATCHES_P0;
            for (int offset = 0; offset < RECORDS_P0; offset++) {
                producer.send(record(TOPIC, 0, offset));
                if ((offset + 1) % perBatch == 0) {
                    producer.flush();
                }
            }
            for (int offset = 0; offset < RECORDS_P1; offset++) {
                producer.send(record(TOPIC, 1, offset));
            }
            for (int offset = 0; offset < TRIM_RECORDS; offset++) {
                producer.send(record(TRIM_TOPIC, 0, offset));
            }
            producer.flush();
        }
        KafkaConsumer<byte[], byte[]> classic = member(CLASSIC_GROUP, "classic");
        classic.commitSync(Map.of(
                new TopicPartition(TOPIC, 0), new OffsetAndMetadata(COMMITTED_P0, COMMITTED_METADATA),
                new TopicPartition(TOPIC, 1), new OffsetAndMetadata(COMMITTED_P1)));
        member(CONSUMER_GROUP, "consumer");
    }

    private ProducerRecord<byte[], byte[]> record(String topic, int partition, int offset) {
        return new ProducerRecord<>(topic, partition, timestamp(offset), null, value(partition, offset).getBytes());
    }

    /** A member of the group with the given protocol, once it owns both partitions of {@link #TOPIC}. */
    private KafkaConsumer<byte[], byte[]> member(String groupId, String protocol) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-member");
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MEMBER_TIMEOUT_MS);
        if (protocol.equals("classic")) {
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "60000");
        }
        KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props);
        members.add(consumer);
        consumer.subscribe(List.of(TOPIC));
        Await.awaitCondition(SETTLE, () -> {
            consumer.poll(Duration.ofMillis(100));
            return consumer.assignment().size() == 2;
        }, "the " + protocol + " member of " + groupId + " owns both partitions of " + TOPIC);
        return consumer;
    }

    /** The CreateTime of the record at {@code offset} of either partition of {@link #TOPIC} (and of {@link #TRIM_TOPIC}). */
    long timestamp(long offset) {
        return baseTimestamp + offset * 1000;
    }

    static String value(int partition, long offset) {
        return "p" + partition + "-" + offset;
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    int brokerPort() {
        String address = bootstrapServers().split(",")[0];
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    int nodeId() {
        return cluster.nodeIds().get(0);
    }

    /** The node's one log dir. */
    Path logDir() {
        return cluster.logDir(nodeId());
    }

    /** The directory id in the meta.properties of the node's metadata directory (its one log dir). */
    Uuid directoryId() {
        return MetaProperties.read(logDir()).orElseThrow().directoryId();
    }

    String clusterId() {
        return cluster.clusterId();
    }

    Uuid topicId() {
        return topicId;
    }

    Uuid produceTopicId() {
        return produceTopicId;
    }

    Admin admin() {
        return admin;
    }

    Uuid createTopic(String name, int partitions) {
        return cluster.createTopic(name, partitions);
    }

    /** What a group committed for a partition, through the Admin client; null when nothing. */
    OffsetAndMetadata committed(String groupId, TopicPartition tp) throws ExecutionException, InterruptedException {
        return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().get(tp);
    }

    /** Commits as a tool does, without a member (creates the group empty). */
    void commit(String groupId, TopicPartition tp, long offset) throws ExecutionException, InterruptedException {
        admin.alterConsumerGroupOffsets(groupId, Map.of(tp, new OffsetAndMetadata(offset))).all().get();
    }

    @Override
    public void close() {
        members.forEach(KafkaConsumer::close);
        admin.close();
        cluster.close();
    }
}
