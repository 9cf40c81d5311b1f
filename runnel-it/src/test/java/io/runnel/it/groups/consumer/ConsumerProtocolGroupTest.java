package io.runnel.it.groups.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** KIP-848 groups with real {@code group.protocol=consumer} consumers: assignment, rebalances, expiry, commits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerProtocolGroupTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PARTITIONS = 6;

    private RunnelCluster cluster;

    @TempDir
    Path dir;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder()
                .brokerProperty("offsets.topic.num.partitions", "3")
                .brokerProperty("group.consumer.heartbeat.interval.ms", "200")
                // Long enough for a static member to restart in time on a busy machine, short for the kill test.
                .brokerProperty("group.consumer.session.timeout.ms", "6000")
                .start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void membersShareThePartitionsThroughJoinsLeavesAndAKilledMemberWithoutLosingCommittedRecords() throws Exception {
        String topic = "orders";
        String group = "orders-app";
        cluster.createTopic(topic, PARTITIONS);
        produce(topic, PARTITIONS, 300);
        List<InThread> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            members.add(new InThread(group, "m" + i, topic));
        }
        awaitDisjointCovering(members, "three members share the six partitions");

        InThread fourth = new InThread(group, "m4", topic);
        members.add(fourth);
        awaitDisjointCovering(members, "the fourth member gets partitions");

        InThread leaving = members.remove(0);
        leaving.close();
        awaitDisjointCovering(members, "the partitions of the member that left are taken over");

        Path childLog = dir.resolve("child.log");
        Process child = startChild(group, topic, childLog);
        try {
            Await.awaitCondition(TIMEOUT, () -> !MemberLog.parse(read(childLog)).owned().isEmpty(), "the child gets partitions");
            produce(topic, PARTITIONS, 300);
            Await.awaitCondition(TIMEOUT, () -> !MemberLog.parse(read(childLog)).commits().isEmpty(), "the child commits");
        } finally {
            child.destroyForcibly().waitFor();
        }
        produce(topic, PARTITIONS, 300);
        awaitDisjointCovering(members, "the killed member is fenced after the session timeout and its partitions taken over");

        Map<TopicPartition, Long> ends;
        try (Admin admin = cluster.admin()) {
            ends = endOffsets(admin, topic);
            Await.awaitCondition(TIMEOUT, () -> committed(admin, group).equals(ends), "everything produced is committed");
        }
        for (InThread m : members) {
            m.close();
        }
        List<MemberLog> logs = new ArrayList<>(List.of(MemberLog.parse(read(childLog)), leaving.log()));
        members.forEach(m -> logs.add(m.log()));
        assertNothingCommittedLostAndDuplicatesOnlyPastTheLastCommit(logs, ends);
    }

    @Test
    void classicAndConsumerGroupsCoexistAndKeepTheirProtocol() throws Exception {
        String topic = "shared";
        cluster.createTopic(topic, 2);
        produce(topic, 2, 20);
        try (KafkaConsumer<byte[], byte[]> classic = member("classic-app", "classic");
             KafkaConsumer<byte[], byte[]> modern = member("modern-app", "consumer")) {
            classic.subscribe(List.of(topic));
            modern.subscribe(List.of(topic));
            int[] counts = new int[2];
            Await.awaitCondition(TIMEOUT, () -> {
                counts[0] += classic.poll(Duration.ofMillis(100)).count();
                counts[1] += modern.poll(Duration.ofMillis(100)).count();
                return counts[0] == 20 && counts[1] == 20;
            }, "both groups read the whole topic");

            try (Admin admin = cluster.admin()) {
                Map<String, ConsumerGroupDescription> groups = Futures.get(
                        admin.describeConsumerGroups(List.of("classic-app", "modern-app")).all());
                assertEquals(GroupType.CLASSIC, groups.get("classic-app").type());
                ConsumerGroupDescription modernGroup = groups.get("modern-app");
                assertEquals(GroupType.CONSUMER, modernGroup.type());
                assertEquals("uniform", modernGroup.partitionAssignor());
                assertEquals(1, modernGroup.members().size());
                assertEquals(2, modernGroup.members().iterator().next().assignment().topicPartitions().size());
            }
            try (KafkaConsumer<byte[], byte[]> intruder = member("classic-app", "consumer")) {
                intruder.subscribe(List.of(topic));
                assertPollFails(GroupIdNotFoundException.class, intruder);
            }
            try (KafkaConsumer<byte[], byte[]> intruder = member("modern-app", "classic")) {
                intruder.subscribe(List.of(topic));
                assertPollFails(InconsistentGroupProtocolException.class, intruder);
            }
        }
    }

    /**
     * Every produced record was processed, and a record processed again was not yet committed when it was: no commit
     * logged before the second processing covers it.
     */
    private static void assertNothingCommittedLostAndDuplicatesOnlyPastTheLastCommit(List<MemberLog> logs,
                                                                                   Map<TopicPartition, Long> ends) {
        List<MemberLog.Entry> processed = logs.stream().flatMap(l -> l.processed().stream())
                .sorted(Comparator.comparingLong(MemberLog.Entry::nanoTime)).toList();
        List<MemberLog.Entry> commits = logs.stream().flatMap(l -> l.commits().stream()).toList();
        Set<String> seen = new HashSet<>();
        for (MemberLog.Entry record : processed) {
            if (!seen.add(record.partition() + ":" + record.offset())) {
                for (MemberLog.Entry commit : commits) {
                    assertFalse(commit.partition() == record.partition() && commit.nanoTime() < record.nanoTime()
                            && commit.offset() > record.offset(),
                            "record " + record.offset() + " of partition " + record.partition()
                                    + " processed again after offset " + commit.offset() + " was committed");
                }
            }
        }
        ends.forEach((tp, end) -> {
            for (long offset = 0; offset < end; offset++) {
                assertTrue(seen.contains(tp.partition() + ":" + offset), "record " + offset + " of " + tp + " processed");
            }
        });
    }

    @Test
    void aStaticMemberRestartedWithinTheSessionTimeoutGetsItsPartitionsBackWithoutARebalance() {
        String topic = "static";
        String group = "static-app";
        cluster.createTopic(topic, 4);
        KafkaConsumer<byte[], byte[]> other = member(group, "consumer");
        KafkaConsumer<byte[], byte[]> first = staticMember(group, "instance-1");
        try (Admin admin = cluster.admin()) {
            other.subscribe(List.of(topic));
            first.subscribe(List.of(topic));
            Await.awaitCondition(TIMEOUT, () -> {
                other.poll(Duration.ofMillis(50));
                first.poll(Duration.ofMillis(50));
                return !first.assignment().isEmpty() && first.assignment().size() + other.assignment().size() == 4;
            }, "both members own partitions");
            Set<TopicPartition> owned = Set.copyOf(first.assignment());
            int epoch = groupEpoch(admin, group);
            first.close();
            try (KafkaConsumer<byte[], byte[]> restarted = staticMember(group, "instance-1")) {
                restarted.subscribe(List.of(topic));
                Await.awaitCondition(TIMEOUT, () -> {
                    other.poll(Duration.ofMillis(50));
                    return !restarted.poll(Duration.ofMillis(50)).isEmpty() || !restarted.assignment().isEmpty();
                }, "the restarted member gets partitions");
                assertEquals(owned, restarted.assignment());
                assertEquals(epoch, groupEpoch(admin, group), "no rebalance");
            }
        } finally {
            other.close();
        }
    }

    private KafkaConsumer<byte[], byte[]> staticMember(String group, String instanceId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        return cluster.consumer(props);
    }

    private static int groupEpoch(Admin admin, String group) {
        return Futures.get(admin.describeConsumerGroups(List.of(group)).all()).get(group).groupEpoch().orElseThrow();
    }

    private static void assertPollFails(Class<? extends Exception> expected, KafkaConsumer<byte[], byte[]> consumer) {
        boolean[] failed = {false};
        Await.awaitCondition(TIMEOUT, () -> {
            try {
                consumer.poll(Duration.ofMillis(100));
                return false;
            } catch (Exception e) {
                assertTrue(expected.isInstance(e), "expected " + expected.getSimpleName() + ", got " + e);
                failed[0] = true;
                return true;
            }
        }, "poll fails with " + expected.getSimpleName());
        assertTrue(failed[0]);
    }

    private KafkaConsumer<byte[], byte[]> member(String group, String protocol) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        return cluster.consumer(props);
    }

    private static void awaitDisjointCovering(List<InThread> members, String what) {
        Await.awaitCondition(TIMEOUT, () -> {
            Set<Integer> seen = new HashSet<>();
            for (InThread m : members) {
                Set<Integer> owned = m.log().owned();
                if (owned.isEmpty()) {
                    return false;
                }
                for (int p : owned) {
                    assertTrue(seen.add(p), "partition " + p + " owned by two members");
                }
            }
            return seen.size() == PARTITIONS;
        }, what);
    }

    private void produce(String topic, int partitions, int records) {
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, ("r" + i).getBytes()));
            }
            producer.flush();
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        Futures.get(admin.listOffsets(request).all()).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) {
        Map<TopicPartition, Long> result = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = Futures.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        offsets.forEach((tp, o) -> result.put(tp, o.offset()));
        return result;
    }

    private Process startChild(String group, String topic, Path log) throws IOException {
        Files.createFile(log);
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), ConsumerMember.class.getName(),
                cluster.bootstrapServers(), group, "child", topic, log.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.resolveSibling("child.out").toFile())
                .start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A member on a test thread, logging to memory. */
    private final class InThread {
        private final StringWriter out = new StringWriter();
        private final ConsumerMember member;
        private final Thread thread;

        InThread(String group, String clientId, String topic) {
            member = new ConsumerMember(cluster.bootstrapServers(), group, clientId, topic, out);
            thread = new Thread(member, "member-" + clientId);
            thread.start();
        }

        MemberLog log() {
            synchronized (out) {
                return MemberLog.parse(out.toString());
            }
        }

        void close() throws InterruptedException {
            member.stop();
            thread.join(TIMEOUT.toMillis());
            assertFalse(thread.isAlive(), "member stopped");
        }
    }
}
