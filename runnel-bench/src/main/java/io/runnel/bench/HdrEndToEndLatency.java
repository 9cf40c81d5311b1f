package io.runnel.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.apache.kafka.common.serialization.VoidDeserializer;
import org.apache.kafka.common.serialization.VoidSerializer;

/**
 * End-to-end latency at a fixed rate below saturation: a producer (the given acks, no linger) sends records that carry
 * their send time ({@code System.nanoTime}, same JVM) and an assigned consumer records receive minus send time in
 * an HdrHistogram, so percentiles keep microsecond resolution (Apache's EndToEndLatency truncates to whole ms).
 * The first {@code warmup} records are not recorded. Usage:
 * {@code HdrEndToEndLatency <bootstrap> <topic> <records/s> <warmup records> <records> <record size> <acks>}.
 */
public final class HdrEndToEndLatency {
    private static final long MAX_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int HEADER_BYTES = Long.BYTES + Long.BYTES; // send time, sequence number

    private HdrEndToEndLatency() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        TopicPartition partition = new TopicPartition(args[1], 0);
        long intervalNs = TimeUnit.SECONDS.toNanos(1) / Long.parseLong(args[2]);
        long warmup = Long.parseLong(args[3]);
        long total = warmup + Long.parseLong(args[4]);
        int recordSize = Math.max(HEADER_BYTES, Integer.parseInt(args[5]));
        String acks = args[6];

        Histogram histogram = new Histogram(MAX_LATENCY_NS, 3);
        CountDownLatch consumerReady = new CountDownLatch(1);
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(
                () -> receive(bootstrap, partition, warmup, total, histogram, consumerReady));
        if (!consumerReady.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("consumer could not position itself on " + partition);
        }
        send(bootstrap, partition, intervalNs, total, recordSize, acks);
        long count = received.get(total * intervalNs + DRAIN_TIMEOUT_NS, TimeUnit.NANOSECONDS);
        new ResultLine().put("records", count)
                .put("p50_us", histogram.getValueAtPercentile(50) / 1e3)
                .put("p99_us", histogram.getValueAtPercentile(99) / 1e3)
                .put("p999_us", histogram.getValueAtPercentile(99.9) / 1e3)
                .put("avg_us", histogram.getMean() / 1e3)
                .print();
    }

    private static void send(String bootstrap, TopicPartition partition, long intervalNs, long total, int size,
            String acks) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<Void, byte[]> producer =
                new KafkaProducer<>(config, new VoidSerializer(), new ByteArraySerializer())) {
            // send() copies the value into its batch before returning, so one array serves every record
            byte[] value = new byte[size];
            ByteBuffer header = ByteBuffer.wrap(value);
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = start + i * intervalNs;
                for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                    LockSupport.parkNanos(due - now);
                }
                header.putLong(0, System.nanoTime()).putLong(Long.BYTES, i);
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, value));
            }
        }
    }

    private static long receive(String bootstrap, TopicPartition partition, long warmup, long total,
            Histogram histogram, CountDownLatch ready) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<Void, ByteBuffer> consumer =
                new KafkaConsumer<>(config, new VoidDeserializer(), new ByteBufferDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            ready.countDown();
            long seen = 0;
            long lastProgress = System.nanoTime();
            while (seen < total) {
                for (ConsumerRecord<Void, ByteBuffer> record : consumer.poll(POLL)) {
                    long now = System.nanoTime();
                    ByteBuffer value = record.value();
                    long sentAt = value.getLong(value.position());
                    long sequence = value.getLong(value.position() + Long.BYTES);
                    if (sequence >= warmup) {
                        histogram.recordValue(Math.min(now - sentAt, MAX_LATENCY_NS));
                    }
                    seen++;
                    lastProgress = now;
                }
                if (System.nanoTime() - lastProgress > DRAIN_TIMEOUT_NS) {
                    throw new IllegalStateException("received " + seen + " of " + total + " records");
                }
            }
            return seen;
        }
    }
}
