package io.runnel.it.groups.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What must be shown 3: ConsumerRebalanceListener callbacks with the right partitions; commitSync, commitAsync with
 * a callback, explicit offsets with metadata, auto-commit; the committed offsets survive a broker restart.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommitsAndListenersTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int RECORDS = 10;
    private RunnelCluster cluster;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().brokerProperty("offsets.topic.num.partitions", "3").start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void rebalanceListenerSeesTheRightPartitions() {
        String topic = "listener-topic";
        cluster.createTopic(topic, 4);
        List<TopicPartition> all = TopicReader.partitions(topic, 4);
        RecordingListener firstListener = new RecordingListener();
        RecordingListener secondListener = new RecordingListener();
        try (KafkaConsumer<byte[], byte[]> first = member("listener-group", Map.of());
             KafkaConsumer<byte[], byte[]> second = member("listener-group", Map.of())) {
            first.subscribe(List.of(topic), firstListener);
            Await.awaitCondition(WAIT, () -> pollOnce(first) && first.assignment().size() == 4, "the first member owns all");
            assertEquals(List.of(Set.copyOf(all)), firstListener.assigned);

            second.subscribe(List.of(topic), secondListener);
            Await.awaitCondition(WAIT, () -> pollOnce(first) && pollOnce(second)
                    && first.assignment().size() == 2 && second.assignment().size() == 2, "two members own two each");
            // Eager protocol: everything revoked, then the new share assigned.
            assertEquals(List.of(Set.copyOf(all)), firstListener.revoked);
            assertEquals(first.assignment(), firstListener.assigned.get(1));
            assertEquals(List.of(second.assignment()), secondListener.assigned);
            Set<TopicPartition> union = new HashSet<>(first.assignment());
            union.addAll(second.assignment());
            assertEquals(Set.copyOf(all), union);

            Set<TopicPartition> secondOwned = Set.copyOf(second.assignment());
            second.close();
            assertEquals(List.of(secondOwned), secondListener.revoked, "revoked on leaving");
            Await.awaitCondition(WAIT, () -> pollOnce(first) && first.assignment().size() == 4, "the first member owns all again");
            assertEquals(Set.copyOf(all), firstListener.assigned.get(2));
        }
    }

    @Test
    void everyCommitPathPersistsAndSurvivesARestart() throws Exception {
        String topic = "commit-paths";
        TopicPartition tp = new TopicPartition(topic, 0);
        cluster.createTopic(topic, 1);
        produce(topic, RECORDS);

        try (KafkaConsumer<byte[], byte[]> sync = member("sync-group", Map.of())) {
            sync.subscribe(List.of(topic));
            consumeAll(sync, RECORDS);
            sync.commitSync();
            assertEquals(RECORDS, sync.committed(Set.of(tp)).get(tp).offset());
        }

        try (KafkaConsumer<byte[], byte[]> async = member("async-group", Map.of())) {
            async.subscribe(List.of(topic));
            consumeAll(async, RECORDS);
            AtomicReference<Map<TopicPartition, OffsetAndMetadata>> committed = new AtomicReference<>();
            AtomicReference<Exception> failure = new AtomicReference<>();
            async.commitAsync((offsets, exception) -> {
                failure.set(exception);
                committed.set(offsets);
            });
            Await.awaitCondition(WAIT, () -> pollOnce(async) && committed.get() != null, "the commitAsync callback ran");
            assertNull(failure.get());
            assertEquals(RECORDS, committed.get().get(tp).offset());
        }

        try (KafkaConsumer<byte[], byte[]> explicit = member("explicit-group", Map.of())) {
            explicit.subscribe(List.of(topic));
            consumeAll(explicit, RECORDS);
            explicit.commitSync(Map.of(tp, new OffsetAndMetadata(3, "processed up to 2")));
            OffsetAndMetadata committed = explicit.committed(Set.of(tp)).get(tp);
            assertEquals(3, committed.offset());
            assertEquals("processed up to 2", committed.metadata());
        }

        try (KafkaConsumer<byte[], byte[]> auto = member("auto-group", Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true", ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "100"))) {
            auto.subscribe(List.of(topic));
            consumeAll(auto, RECORDS);
            Await.awaitCondition(WAIT, () -> pollOnce(auto) && committedOffset("auto-group", tp) == RECORDS,
                    "auto-commit committed the consumed position");
        }

        cluster.restart();

        assertEquals(RECORDS, committedOffset("sync-group", tp));
        assertEquals(RECORDS, committedOffset("async-group", tp));
        assertEquals(RECORDS, committedOffset("auto-group", tp));
        assertEquals(3, committedOffset("explicit-group", tp));
        produce(topic, 5);
        try (KafkaConsumer<byte[], byte[]> resumed = member("sync-group", Map.of())) {
            resumed.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = consumeAll(resumed, 5);
            assertEquals(RECORDS, records.get(0).offset(), "the group resumes at its committed offset");
        }
    }

    private KafkaConsumer<byte[], byte[]> member(String group, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        props.putAll(overrides);
        return cluster.consumer(props);
    }

    private static boolean pollOnce(KafkaConsumer<byte[], byte[]> consumer) {
        consumer.poll(Duration.ofMillis(50));
        return true;
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(KafkaConsumer<byte[], byte[]> consumer, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Await.awaitCondition(WAIT, () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records.size() >= count;
        }, count + " records consumed");
        assertEquals(count, records.size());
        return records;
    }

    private long committedOffset(String group, TopicPartition tp) {
        try (Admin admin = cluster.admin()) {
            OffsetAndMetadata offset = Futures.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()).get(tp);
            return offset == null ? -1 : offset.offset();
        }
    }

    private void produce(String topic, int count) {
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < count; i++) {
                Futures.get(producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {(byte) i})));
            }
        }
    }

    /** Records the partitions of each callback, in order. */
    private static final class RecordingListener implements ConsumerRebalanceListener {
        final List<Set<TopicPartition>> assigned = new ArrayList<>();
        final List<Set<TopicPartition>> revoked = new ArrayList<>();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                revoked.add(Set.copyOf(partitions));
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.add(Set.copyOf(partitions));
        }
    }
}
