package io.runnel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Rebalance latency: two members of a group consume a topic (pre-filled with {@value #PREFILL_PER_PARTITION}
 * records per partition); a third member subscribes while a marker record is produced to every partition; the
 * latency runs from that subscribe until the three members own disjoint sets covering all partitions, the newcomer
 * among them, and every partition's owner has its position past the marker. Members commit the positions of the
 * partitions they give up (onPartitionsRevoked), so a new owner resumes where the old one stopped. The newcomer then
 * leaves and the group settles again before the next join. Prints the median and maximum over the joins.
 * Usage: {@code RebalanceLatency <bootstrap> <topic> <partitions> <classic|consumer> <joins>}.
 */
public final class RebalanceLatency {
    private static final int PREFILL_PER_PARTITION = 20;
    private static final Duration POLL = Duration.ofMillis(10);
    private static final long SETTLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    /** Classic members' heartbeat: the old members hear of a rebalance at their next heartbeat. */
    private static final String CLASSIC_HEARTBEAT_MS = "500";

    private RebalanceLatency() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        String protocol = args[3];
        int joins = Integer.parseInt(args[4]);
        Properties config = consumerConfig(bootstrap, "rebalance-" + protocol + "-" + partitions, protocol);
        double[] latenciesMs = new double[joins];
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (int i = 0; i < PREFILL_PER_PARTITION; i++) {
                ends = produceToEach(producer, topic, partitions);
            }
            List<Member> members = new ArrayList<>(List.of(new Member(config, topic), new Member(config, topic)));
            members.forEach(Member::start);
            try {
                awaitSettled(members, ends);
                for (int join = 0; join < joins; join++) {
                    Member newcomer = new Member(config, topic); // the client's construction is not measured
                    members.add(newcomer);
                    long start = System.nanoTime();
                    newcomer.start();
                    ends = produceToEach(producer, topic, partitions);
                    awaitSettled(members, ends);
                    latenciesMs[join] = (System.nanoTime() - start) / 1e6;
                    members.remove(newcomer);
                    newcomer.close();
                    awaitSettled(members, ends);
                }
            } finally {
                for (Member member : members) {
                    member.close();
                }
            }
        }
        Arrays.sort(latenciesMs);
        new ResultLine().put("joins", joins).put("median_ms", latenciesMs[joins / 2])
                .put("max_ms", latenciesMs[joins - 1]).print();
    }

    /** One record to each partition; returns each partition's offset after it. */
    private static Map<TopicPartition, Long> produceToEach(KafkaProducer<byte[], byte[]> producer, String topic,
            int partitions) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            sent.add(producer.send(new ProducerRecord<>(topic, p, null, new byte[100])));
        }
        Map<TopicPartition, Long> after = new HashMap<>();
        for (Future<RecordMetadata> future : sent) {
            RecordMetadata metadata = future.get(30, TimeUnit.SECONDS);
            after.put(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset() + 1);
        }
        return after;
    }

    /**
     * Waits until the members own disjoint, non-empty sets of partitions that cover {@code targets} and every
     * owner's position has reached its partition's target.
     */
    private static void awaitSettled(List<Member> members, Map<TopicPartition, Long> targets) throws Exception {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_NS;
        while (!settled(members, targets)) {
            for (Member member : members) {
                member.rethrow();
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("group not settled after 60 s");
            }
            Thread.sleep(1); // the members' poll loops publish their state every poll (10 ms at most)
        }
    }

    private static boolean settled(List<Member> members, Map<TopicPartition, Long> targets) {
        int owned = 0;
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (Member member : members) {
            Map<TopicPartition, Long> own = member.positions;
            if (own.isEmpty()) {
                return false;
            }
            owned += own.size();
            positions.putAll(own);
        }
        if (owned != targets.size() || !positions.keySet().equals(targets.keySet())) {
            return false; // a partition is unowned, or a member's view is from an earlier generation
        }
        return targets.entrySet().stream().allMatch(t -> positions.get(t.getKey()) >= t.getValue());
    }

    private static Properties consumerConfig(String bootstrap, String group, String protocol) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (protocol.equals("classic")) {
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, CLASSIC_HEARTBEAT_MS);
        }
        return config;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A group member polling on its own thread and publishing the positions of the partitions it owns. */
    private static final class Member implements ConsumerRebalanceListener, AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String topic;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Map<TopicPartition, Long> positions = Map.of();
        private volatile RuntimeException failure;

        Member(Properties config, String topic) {
            this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.topic = topic;
            this.thread = new Thread(this::pollLoop, "member");
        }

        void start() {
            thread.start();
        }

        private void pollLoop() {
            try {
                consumer.subscribe(List.of(topic), this);
                while (running) {
                    consumer.poll(POLL);
                    Map<TopicPartition, Long> now = new HashMap<>();
                    for (TopicPartition tp : consumer.assignment()) {
                        now.put(tp, consumer.position(tp));
                    }
                    positions = now;
                }
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                positions = Map.of();
                consumer.close();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            positions = Map.of(); // no longer a valid view of the assignment
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            if (!offsets.isEmpty()) {
                consumer.commitSync(offsets);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
