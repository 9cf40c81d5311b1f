package io.runnel.it;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.wire.ApiConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FetchTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private static RunnelCluster cluster;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = RunnelCluster.builder().start();
        producer = cluster.producer(new Properties());
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) {
            producer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void parkedFetchCompletesWhenDataArrives() throws Exception {
        TopicPartition tp = new TopicPartition("long-poll", 0);
        cluster.createTopic(tp.topic(), 1);
        // The broker may hold this fetch for a minute, longer than the wait below: only new data can end it sooner.
        Properties props = consumerProperties(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "60000",
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "120000");
        CountDownLatch pollStarted = new CountDownLatch(1);
        CompletableFuture<Void> produced = CompletableFuture.runAsync(() -> {
            try {
                if (!pollStarted.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the consumer never polled");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            get(producer.send(record(tp, 0)));
        });
        KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props);
        try {
            consumer.assign(List.of(tp));
            consumer.poll(POLL);
            pollStarted.countDown();
            List<ConsumerRecord<byte[], byte[]>> received = pollUntil(consumer, 1);
            assertArrayEquals(value(tp, 0), received.get(0).value());
        } finally {
            // The next fetch is parked for a minute; a graceful close would wait for it.
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        produced.get(30, TimeUnit.SECONDS);
    }

    @Test
    void fetchBelowMinBytesReturnsWhatThereIsAfterMaxWait() {
        TopicPartition tp = new TopicPartition("min-bytes", 0);
        cluster.createTopic(tp.topic(), 1);
        produce(tp, 0, 5);
        Properties props = consumerProperties(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(10 << 20),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            consumer.assign(List.of(tp));
            assertEquals(5, pollUntil(consumer, 5).size());
        }
    }

    @Test
    void fetchLimitSmallerThanABatchStillMakesProgress() {
        TopicPartition tp = new TopicPartition("big-batches", 0);
        cluster.createTopic(tp.topic(), 1);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "100");
        producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        byte[] padding = new byte[1000];
        try (KafkaProducer<byte[], byte[]> batching = cluster.producer(producerProps)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sends.add(batching.send(new ProducerRecord<>(tp.topic(), 0, null, padding)));
            }
            batching.flush();
            sends.forEach(Futures::get);
        }
        Properties props = consumerProperties(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "1024",
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "1024");
        long[] next = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            long read = TopicReader.readAll(consumer, List.of(tp), WAIT, r -> {
                assertEquals(next[0]++, r.offset());
                assertArrayEquals(padding, r.value());
            });
            assertEquals(200, read);
        }
    }

    /**
     * As Kafka: a fetch's bytes end at its partition limit even inside a batch, for the client to drop; a broker
     * that returned whole batches only would send two batches here, not two and a half. The consumer, whose limit
     * is the same, still reads every record once, in order.
     */
    @Test
    void aFetchLimitEndingInsideABatchCutsItAndConsumersReadOn() throws Exception {
        TopicPartition tp = new TopicPartition("cut-batches", 0);
        cluster.createTopic(tp.topic(), 1);
        for (long offset = 0; offset < 10; offset++) {
            get(producer.send(record(tp, offset)));
        }
        int batch;
        int limit;
        try (ApiConnection connection = new ApiConnection(cluster.bootstrapServers(), "raw-fetch")) {
            batch = fetchedBytes(connection, tp, 1);
            limit = 2 * batch + batch / 2;
            assertEquals(limit, fetchedBytes(connection, tp, limit), "the third batch cut at the limit");
        }
        Properties props = consumerProperties(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(limit));
        long[] next = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            long read = TopicReader.readAll(consumer, List.of(tp), WAIT, r -> {
                assertEquals(next[0], r.offset());
                assertArrayEquals(value(tp, next[0]++), r.value());
            });
            assertEquals(10, read);
        }
    }

    /** The bytes a Fetch of {@code tp} from offset 0 returns with {@code partitionMaxBytes}. */
    private static int fetchedBytes(ApiConnection connection, TopicPartition tp, int partitionMaxBytes)
            throws Exception {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                .setMaxBytes(1 << 20).setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(tp.topic())
                        .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(tp.partition())
                                .setFetchOffset(0).setPartitionMaxBytes(partitionMaxBytes)
                                .setCurrentLeaderEpoch(-1)))));
        FetchResponseData response = (FetchResponseData) connection.send(request, (short) 12);
        FetchResponseData.PartitionData data = response.responses().get(0).partitions().get(0);
        assertEquals(Errors.NONE.code(), data.errorCode());
        return data.records().sizeInBytes();
    }

    @Test
    void incrementalFetchSessionsFollowAChangingAssignment() {
        String topic = "changing-assignment";
        int partitions = 6;
        cluster.createTopic(topic, partitions);
        List<TopicPartition> all = TopicReader.partitions(topic, partitions);
        long[] produced = new long[partitions];
        long[] nextExpected = new long[partitions];
        List<List<Integer>> phases = List.of(List.of(0, 1, 2), List.of(1, 2, 3, 4), List.of(5), List.of(0, 3),
                List.of(0, 1, 2, 3, 4, 5));
        Set<TopicPartition> assigned = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            for (List<Integer> phase : phases) {
                for (TopicPartition tp : all) {
                    produce(tp, produced[tp.partition()], 100);
                    produced[tp.partition()] += 100;
                }
                List<TopicPartition> now = phase.stream().map(all::get).toList();
                consumer.assign(now);
                for (TopicPartition tp : now) {
                    if (!assigned.contains(tp)) {
                        consumer.seek(tp, nextExpected[tp.partition()]);
                    }
                }
                assigned.clear();
                assigned.addAll(now);
                Await.awaitCondition(WAIT, () -> {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                        int p = r.partition();
                        assertEquals(nextExpected[p], r.offset(), "next offset of partition " + p);
                        assertArrayEquals(value(all.get(p), r.offset()), r.value());
                        nextExpected[p]++;
                    }
                    return now.stream().allMatch(tp -> nextExpected[tp.partition()] == produced[tp.partition()]);
                }, "phase " + phase + " reads its partitions to the end");
            }
        }
    }

    @Test
    void positionBeyondTheEndFailsWithoutResetPolicy() {
        TopicPartition tp = new TopicPartition("out-of-range-none", 0);
        cluster.createTopic(tp.topic(), 1);
        produce(tp, 0, 10);
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(
                consumerProperties(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 100);
            OffsetOutOfRangeException[] thrown = {null};
            Await.awaitCondition(WAIT, () -> {
                try {
                    consumer.poll(POLL).forEach(r -> {
                        throw new AssertionError("read " + r + " beyond the end");
                    });
                    return false;
                } catch (OffsetOutOfRangeException e) {
                    thrown[0] = e;
                    return true;
                }
            }, "poll fails with OffsetOutOfRangeException");
            assertEquals(Map.of(tp, 100L), thrown[0].offsetOutOfRangePartitions());
        }
    }

    @Test
    void positionBeyondTheEndResetsToEarliest() {
        TopicPartition tp = new TopicPartition("out-of-range-earliest", 0);
        cluster.createTopic(tp.topic(), 1);
        produce(tp, 0, 10);
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(
                consumerProperties(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 100);
            List<ConsumerRecord<byte[], byte[]>> records = pollUntil(consumer, 10);
            for (int i = 0; i < 10; i++) {
                assertEquals(i, records.get(i).offset());
                assertArrayEquals(value(tp, i), records.get(i).value());
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> pollUntil(KafkaConsumer<byte[], byte[]> consumer, int count) {
        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        Await.awaitCondition(WAIT, () -> {
            consumer.poll(POLL).forEach(received::add);
            return received.size() >= count;
        }, count + " records");
        assertEquals(count, received.size());
        return received;
    }

    /** Appends records whose values name their partition and offset, starting at offset {@code from}. */
    private static void produce(TopicPartition tp, long from, int count) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (long offset = from; offset < from + count; offset++) {
            sends.add(producer.send(record(tp, offset)));
        }
        producer.flush();
        sends.forEach(Futures::get);
    }

    private static ProducerRecord<byte[], byte[]> record(TopicPartition tp, long offset) {
        return new ProducerRecord<>(tp.topic(), tp.partition(), null, value(tp, offset));
    }

    private static byte[] value(TopicPartition tp, long offset) {
        return (tp.partition() + ":" + offset).getBytes(StandardCharsets.UTF_8);
    }

    private static Properties consumerProperties(String... keyValues) {
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }
}
