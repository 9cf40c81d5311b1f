package io.runnel.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Offset commit throughput of one member of a classic group that owns its topic's only partition: explicit offsets
 * (one more each time) committed for {@code seconds}, either with {@code commitSync} one at a time, or with
 * {@code commitAsync} keeping up to {@value #ASYNC_IN_FLIGHT} commits outstanding (callbacks run inside poll).
 * Prints the commits completed and the nanoseconds they took.
 * Usage: {@code CommitThroughput <bootstrap> <topic> <group> <sync|async> <seconds>}.
 */
public final class CommitThroughput {
    private static final int ASYNC_IN_FLIGHT = 32;
    private static final Duration POLL = Duration.ofMillis(1);
    private static final long ASSIGN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private CommitThroughput() {
    }

    public static void main(String[] args) {
        boolean sync = args[3].equals("sync");
        long durationNs = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, args[2]);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(args[1]));
            long deadline = System.nanoTime() + ASSIGN_TIMEOUT_NS;
            while (consumer.assignment().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no partition assigned after 60 s");
                }
                consumer.poll(POLL);
            }
            TopicPartition partition = consumer.assignment().iterator().next();
            long[] completed = {0};
            long[] inFlight = {0};
            AtomicReference<Exception> failure = new AtomicReference<>();
            OffsetCommitCallback callback = (offsets, e) -> {
                inFlight[0]--;
                completed[0]++;
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            };
            long offset = 0;
            long start = System.nanoTime();
            long end = start + durationNs;
            while (System.nanoTime() < end && failure.get() == null) {
                Map<TopicPartition, OffsetAndMetadata> commit = Map.of(partition, new OffsetAndMetadata(++offset));
                if (sync) {
                    consumer.commitSync(commit);
                    completed[0]++;
                } else {
                    while (inFlight[0] >= ASYNC_IN_FLIGHT) {
                        consumer.poll(POLL);
                    }
                    inFlight[0]++;
                    consumer.commitAsync(commit, callback);
                }
            }
            long drainDeadline = System.nanoTime() + ASSIGN_TIMEOUT_NS;
            while (inFlight[0] > 0 && System.nanoTime() < drainDeadline) {
                consumer.poll(POLL);
            }
            long elapsed = System.nanoTime() - start;
            if (failure.get() != null || inFlight[0] > 0) {
                throw new IllegalStateException(inFlight[0] + " commits unanswered", failure.get());
            }
            new ResultLine().put("commits", completed[0]).put("elapsed_ns", elapsed).print();
        }
    }
}
