package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Futures;
import io.runnel.it.KafkaEndpoint;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.storage.record.LogFileDump;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntToLongFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;

/**
 * What every client's compatibility test does against Runnel, and the exact answers Kafka's rules give for it.
 * Record i has key {@code key-i}, value {@code value-i}, header {@code origin} naming the client, timestamp
 * {@code base + i} seconds and partition {@code i % 2}, so it lands at offset {@code i / 2}. Time look-ups ask for
 * {@code base + i s - 500 ms} for i = 0..RECORDS: the answer is the offset of the first record at or after it, or
 * none past the last one. A second group, {@code <group>-pair}, has two members; a scratch topic,
 * {@code <topic>-scratch}, is created with one partition, grown to three and deleted.
 *
 * <p>A driver prints one line per observation, which {@link DriverReport} reads: {@code created topic},
 * {@code described topic partitions leader...}, {@code listed topic}, {@code sent i partition offset},
 * {@code beginning p offset}, {@code end p offset}, {@code time i p offset}, {@code sought p offset key},
 * {@code consumed p offset key value origin timestamp}, {@code committed p offset}, {@code pair owned owned} (the
 * partitions each pair member owns, sorted), {@code listedGroup group}, {@code group group state members},
 * {@code config topic cleanup.policy value}, {@code grown scratch partitions}, {@code deleted scratch}.
 */
final class ClientScenario {
    static final int PARTITIONS = 2;
    static final int RECORDS = 10;
    static final long SEEK_OFFSET = 2;

    final String topic;
    final String group;
    final String origin;
    /** Ten minutes ago, whole seconds: every record lies in the past, as message.timestamp.* checks want. */
    final long base = (System.currentTimeMillis() / 1000 - 600) * 1000;

    ClientScenario(String name) {
        this.topic = name;
        this.group = name + "-group";
        this.origin = name;
    }

    /** The arguments every driver starts with: bootstrap topic group baseTimestamp records origin. */
    List<String> args(KafkaEndpoint endpoint) {
        return List.of(endpoint.bootstrapServers(), topic, group, Long.toString(base), Integer.toString(RECORDS), origin);
    }

    long timestamp(int i) {
        return base + i * 1000L;
    }

    long endOffset(int partition) {
        return IntStream.range(0, RECORDS).filter(i -> i % PARTITIONS == partition).count();
    }

    /** The look-up time of query i; record i is the first at or after it. */
    long queryTime(int i) {
        return timestamp(i) - 500;
    }

    /** Runs a driver: its command, then {@link #args}, then {@code extraArgs}; fails unless it exits 0. */
    DriverReport play(KafkaEndpoint endpoint, List<String> driver, String... extraArgs) throws Exception {
        List<String> command = new ArrayList<>(driver);
        command.addAll(args(endpoint));
        command.addAll(List.of(extraArgs));
        return DriverReport.of(ClientCommand.run(null, command));
    }

    /**
     * Every step a driver plays, as it reported it and as kafka-clients 4.4 then sees the broker; {@code absent} is
     * the client's answer for a partition with no record at or after a time asked.
     */
    void assertEveryStep(DriverReport report, RunnelCluster cluster, IntToLongFunction absent) {
        assertTopicCreated(report, cluster);
        assertSent(report);
        assertBeginningAndEndOffsets(report);
        assertOffsetsForTimes(report, absent);
        assertConsumedAndCommitted(report);
        assertPairShared(report);
        assertGroupConfigAndScratchTopic(report);
        assertStored(cluster);
        assertCommittedVisible(cluster);
    }

    /** The group's type, as kafka-clients 4.4's Admin describes it: which protocol its members spoke. */
    void assertGroupType(KafkaEndpoint endpoint, GroupType expected) {
        try (Admin admin = endpoint.admin()) {
            assertEquals(expected, Futures.get(admin.describeConsumerGroups(List.of(group)).all()).get(group).type());
        }
    }

    /** The topic's batches carry one producer id when the producer was idempotent, -1 when it was not. */
    void assertIdempotent(RunnelCluster cluster, boolean idempotent) throws IOException {
        TreeSet<Long> ids = new TreeSet<>();
        int node = cluster.nodeIds().get(0);
        for (int p = 0; p < PARTITIONS; p++) {
            Path segment = cluster.logDir(node).resolve(topic + "-" + p).resolve("00000000000000000000.log");
            LogFileDump.dump(segment, false, batch -> ids.add(batch.producerId()));
        }
        if (idempotent) {
            assertEquals(1, ids.size(), "one idempotent producer: " + ids);
            assertTrue(ids.first() >= 0, "an idempotent producer's batches carry its id: " + ids);
        } else {
            assertEquals(Set.of(-1L), ids, "batches of a producer without idempotence");
        }
    }

    /** Writes the records with kafka-clients 4.4, for clients that only read. */
    void produce(KafkaEndpoint endpoint) {
        try (KafkaProducer<byte[], byte[]> producer = endpoint.producer(new Properties())) {
            for (int i = 0; i < RECORDS; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, i % PARTITIONS, timestamp(i),
                        bytes("key-" + i), bytes("value-" + i));
                record.headers().add("origin", bytes(origin));
                Futures.get(producer.send(record));
            }
        }
    }

    /** The client created the topic, then saw it, with a leader for each partition, in its metadata. */
    private void assertTopicCreated(DriverReport report, RunnelCluster cluster) {
        String leader = Integer.toString(cluster.nodeIds().get(0));
        assertEquals(List.of("created " + topic), report.lines("created"));
        assertEquals(List.of("described " + topic + " " + PARTITIONS + (" " + leader).repeat(PARTITIONS)),
                report.lines("described"));
        assertEquals(List.of("listed " + topic), report.lines("listed"));
    }

    /** Two members of a second group share the two partitions, one each. */
    private void assertPairShared(DriverReport report) {
        assertEquals(List.of("pair 0 1"), report.lines("pair"));
    }

    /** After its member left: the group listed and Empty; the topic's cleanup.policy; the scratch topic's life. */
    private void assertGroupConfigAndScratchTopic(DriverReport report) {
        assertEquals(List.of("listedGroup " + group), report.lines("listedGroup"));
        assertEquals(List.of("group " + group + " Empty 0"), report.lines("group"));
        assertEquals(List.of("config " + topic + " cleanup.policy delete"), report.lines("config"));
        assertEquals(List.of("grown " + topic + "-scratch 3"), report.lines("grown"));
        assertEquals(List.of("deleted " + topic + "-scratch"), report.lines("deleted"));
    }

    private void assertSent(DriverReport report) {
        List<String> expected = IntStream.range(0, RECORDS)
                .mapToObj(i -> "sent " + i + " " + i % PARTITIONS + " " + i / PARTITIONS).toList();
        assertEquals(expected, report.lines("sent"));
    }

    void assertBeginningAndEndOffsets(DriverReport report) {
        assertEquals(perPartition("beginning", p -> 0), report.sorted("beginning"));
        assertEquals(perPartition("end", this::endOffset), report.sorted("end"));
    }

    /** {@code absent} is the client's answer for a partition with no record at or after the time asked. */
    void assertOffsetsForTimes(DriverReport report, IntToLongFunction absent) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= RECORDS; i++) {
            for (int p = 0; p < PARTITIONS; p++) {
                int first = i + Math.floorMod(p - i, PARTITIONS);
                expected.add("time " + i + " " + p + " " + (first < RECORDS ? first / PARTITIONS : absent.applyAsLong(p)));
            }
        }
        assertEquals(expected, report.sorted("time"));
    }

    void assertSought(DriverReport report) {
        assertEquals(perPartition("sought", p -> SEEK_OFFSET).stream()
                        .map(line -> line + " key-" + (SEEK_OFFSET * PARTITIONS + Integer.parseInt(line.split(" ")[1])))
                        .toList(),
                report.sorted("sought"));
    }

    /** Every record consumed once with its key, value, header and timestamp, and the group's commits at the end. */
    private void assertConsumedAndCommitted(DriverReport report) {
        List<String> expected = IntStream.range(0, RECORDS).mapToObj(i -> "consumed " + i % PARTITIONS + " "
                + i / PARTITIONS + " key-" + i + " value-" + i + " " + origin + " " + timestamp(i)).toList();
        assertEquals(DriverReport.sort(expected), report.sorted("consumed"));
        assertEquals(perPartition("committed", this::endOffset), report.sorted("committed"));
    }

    /** What the client wrote, as kafka-clients 4.4 reads it back. */
    private void assertStored(KafkaEndpoint endpoint) {
        List<String> stored = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = endpoint.consumer(new Properties())) {
            TopicReader.readAll(consumer, TopicReader.partitions(topic, PARTITIONS), Duration.ofSeconds(60),
                    r -> stored.add(describe(r)));
        }
        List<String> expected = IntStream.range(0, RECORDS).mapToObj(i -> i % PARTITIONS + "@" + i / PARTITIONS
                + " key-" + i + "=value-" + i + " origin=" + origin + " " + timestamp(i)).sorted().toList();
        assertEquals(expected, stored.stream().sorted().toList());
    }

    /** The group's commits as kafka-clients 4.4's Admin sees them: the end of each partition. */
    private void assertCommittedVisible(KafkaEndpoint endpoint) {
        Map<TopicPartition, Long> expected = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        Map<TopicPartition, Long> committed = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        try (Admin admin = endpoint.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    Futures.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
            offsets.forEach((tp, om) -> committed.put(tp, om.offset()));
        }
        for (int p = 0; p < PARTITIONS; p++) {
            expected.put(new TopicPartition(topic, p), endOffset(p));
        }
        assertEquals(expected, committed);
    }

    private static String describe(ConsumerRecord<byte[], byte[]> r) {
        return r.partition() + "@" + r.offset() + " " + text(r.key()) + "=" + text(r.value()) + " origin="
                + text(r.headers().lastHeader("origin").value()) + " " + r.timestamp();
    }

    private static List<String> perPartition(String kind, IntToLongFunction offset) {
        return IntStream.range(0, PARTITIONS).mapToObj(p -> kind + " " + p + " " + offset.applyAsLong(p)).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
    }
}
