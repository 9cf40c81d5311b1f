package io.runnel.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.BrokerRegistrations;
import io.runnel.metadata.CreatePartitionsSpec;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.Endpoint;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.TopicResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuorumControllerTest {
    private final InMemoryMetadataLog log = new InMemoryMetadataLog();
    private final QuorumController controller = new QuorumController(log, 2, (short) 1, 1, 10_000, 9_000, System::nanoTime);

    @BeforeEach
    void registerBrokers() throws Exception {
        for (int id = 1; id <= 3; id++) {
            BrokerRegistrations.registerUnfenced(controller, "test-cluster", id, null);
        }
    }

    @AfterEach
    void close() {
        controller.close();
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static CreateTopicSpec spec(String name, int partitions, int rf) {
        return new CreateTopicSpec(name, partitions, (short) rf, Map.of(), Map.of());
    }

    private TopicResult create(CreateTopicSpec spec) throws Exception {
        return get(controller.createTopics(List.of(spec), false)).get(0);
    }

    @Test
    void createsTopicWithPlacedReplicas() throws Exception {
        TopicResult result = create(new CreateTopicSpec("orders", 6, (short) 3, Map.of(), Map.of("retention.ms", "1000")));

        assertEquals(Errors.NONE, result.error());
        assertEquals(6, result.numPartitions());
        assertEquals(3, result.replicationFactor());
        TopicImage topic = log.image().topicsByName().get("orders");
        assertEquals(result.topicId(), topic.id());
        assertEquals(topic, log.image().topicsById().get(result.topicId()));
        assertEquals(6, topic.partitions().size());
        Set<Integer> leaders = new HashSet<>();
        for (PartitionRegistration p : topic.partitions().values()) {
            assertEquals(3, p.replicas().length);
            assertEquals(3, Set.of(p.replicas()[0], p.replicas()[1], p.replicas()[2]).size());
            assertArrayEquals(p.replicas(), p.isr());
            assertEquals(p.replicas()[0], p.leader());
            assertEquals(0, p.leaderEpoch());
            assertEquals(0, p.partitionEpoch());
            leaders.add(p.leader());
        }
        assertEquals(Set.of(1, 2, 3), leaders);
        assertEquals(Map.of("retention.ms", "1000"), log.image().topicConfigs("orders"));
    }

    @Test
    void defaultsApplyForMinusOne() throws Exception {
        TopicResult result = create(spec("defaults", -1, -1));
        assertEquals(Errors.NONE, result.error());
        assertEquals(2, log.image().topicsByName().get("defaults").partitions().size());
        assertEquals(1, log.image().topicsByName().get("defaults").partitions().get(0).replicas().length);
    }

    @Test
    void manualAssignmentIsUsed() throws Exception {
        TopicResult result = create(new CreateTopicSpec("manual", -1, (short) -1,
                Map.of(0, List.of(3, 1), 1, List.of(2, 3)), Map.of()));
        assertEquals(Errors.NONE, result.error());
        Map<Integer, PartitionRegistration> partitions = log.image().topicsByName().get("manual").partitions();
        assertArrayEquals(new int[]{3, 1}, partitions.get(0).replicas());
        assertEquals(3, partitions.get(0).leader());
        assertArrayEquals(new int[]{2, 3}, partitions.get(1).replicas());
    }

    @Test
    void everyValidationErrorIsAResult() throws Exception {
        create(spec("exists", 1, 1));
        int entriesBefore = log.entries.size();
        List<CreateTopicSpec> specs = List.of(
                spec("", 1, 1), spec(".", 1, 1), spec("..", 1, 1), spec("x".repeat(250), 1, 1), spec("bad/name", 1, 1),
                spec("exists", 1, 1),
                spec("zero-partitions", 0, 1), spec("negative-partitions", -2, 1),
                spec("zero-rf", 1, 0), spec("negative-rf", 1, -2), spec("too-big-rf", 1, 4),
                new CreateTopicSpec("both", 2, (short) -1, Map.of(0, List.of(1)), Map.of()),
                new CreateTopicSpec("gap", -1, (short) -1, Map.of(0, List.of(1), 2, List.of(2)), Map.of()),
                new CreateTopicSpec("unknown-broker", -1, (short) -1, Map.of(0, List.of(9)), Map.of()),
                new CreateTopicSpec("dup-broker", -1, (short) -1, Map.of(0, List.of(1, 1)), Map.of()),
                new CreateTopicSpec("bad-config", 1, (short) 1, Map.of(), Map.of("segment.bytes", "1")),
                spec("twice", 1, 1), spec("twice", 1, 1));

        List<TopicResult> results = get(controller.createTopics(specs, false));

        List<Errors> expected = List.of(Errors.INVALID_TOPIC_EXCEPTION, Errors.INVALID_TOPIC_EXCEPTION,
                Errors.INVALID_TOPIC_EXCEPTION, Errors.INVALID_TOPIC_EXCEPTION, Errors.INVALID_TOPIC_EXCEPTION,
                Errors.TOPIC_ALREADY_EXISTS, Errors.INVALID_PARTITIONS, Errors.INVALID_PARTITIONS,
                Errors.INVALID_REPLICATION_FACTOR, Errors.INVALID_REPLICATION_FACTOR, Errors.INVALID_REPLICATION_FACTOR,
                Errors.INVALID_REQUEST, Errors.INVALID_REPLICA_ASSIGNMENT, Errors.INVALID_REPLICA_ASSIGNMENT,
                Errors.INVALID_REPLICA_ASSIGNMENT, Errors.INVALID_CONFIG, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST);
        List<Errors> actual = new ArrayList<>();
        for (TopicResult r : results) {
            actual.add(r.error());
            assertNull(r.topicId());
            assertTrue(r.message() != null && !r.message().isEmpty(), r.name());
        }
        assertEquals(expected, actual);
        assertTrue(results.get(15).message().contains("segment.bytes"));
        assertEquals(entriesBefore, log.entries.size(), "a call where every topic fails writes nothing");
    }

    @Test
    void topicsDifferingOnlyInDotAndUnderscoreCollide() throws Exception {
        create(spec("a.b", 1, 1));
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION, create(spec("a_b", 1, 1)).error());
    }

    @Test
    void validateOnlyWritesNothing() throws Exception {
        int entriesBefore = log.entries.size();
        TopicResult result = get(controller.createTopics(List.of(spec("dry", 3, 2)), true)).get(0);
        assertEquals(Errors.NONE, result.error());
        assertEquals(3, result.numPartitions());

        create(spec("grow", 1, 1));
        TopicResult grown = get(controller.createPartitions(List.of(new CreatePartitionsSpec("grow", 4, null)), true)).get(0);
        assertEquals(Errors.NONE, grown.error());

        assertFalse(log.image().topicsByName().containsKey("dry"));
        assertEquals(1, log.image().topicsByName().get("grow").partitions().size());
        assertEquals(entriesBefore + 1, log.entries.size());
    }

    @Test
    void oneRequestCreatesAtMostTenThousandPartitions() throws Exception {
        create(spec("small", 1, 1));
        int entriesBefore = log.entries.size();
        List<TopicResult> topics = get(controller.createTopics(
                List.of(spec("half", 5_000, 1), spec("more-than-half", 5_001, 1)), true));
        assertEquals(List.of(Errors.POLICY_VIOLATION, Errors.POLICY_VIOLATION), topics.stream().map(TopicResult::error).toList());
        assertEquals("Excessively large number of partitions per request.", topics.get(0).message());
        assertEquals(Errors.POLICY_VIOLATION, create(spec("huge", Integer.MAX_VALUE, 1)).error());
        assertEquals(Errors.POLICY_VIOLATION, get(controller.createPartitions(
                List.of(new CreatePartitionsSpec("small", Integer.MAX_VALUE, null)), false)).get(0).error());
        assertEquals(entriesBefore, log.entries.size());

        assertEquals(Errors.NONE, get(controller.createTopics(List.of(spec("at-the-bound", 10_000, 1)), true)).get(0).error());
        assertEquals(Errors.NONE, get(controller.createPartitions(
                List.of(new CreatePartitionsSpec("small", 10_001, null)), true)).get(0).error());
    }

    @Test
    void deletesByNameAndIdWithConfigs() throws Exception {
        Uuid first = create(new CreateTopicSpec("first", 1, (short) 1, Map.of(), Map.of("retention.ms", "5"))).topicId();
        Uuid second = create(spec("second", 1, 1)).topicId();
        Uuid unknownId = Uuid.randomUuid();

        List<TopicResult> results = get(controller.deleteTopics(List.of("first", "missing"), List.of(second, unknownId)));

        assertEquals(List.of(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.NONE, Errors.UNKNOWN_TOPIC_ID),
                results.stream().map(TopicResult::error).toList());
        assertEquals(first, results.get(0).topicId());
        assertEquals("second", results.get(2).name());
        assertEquals(unknownId, results.get(3).topicId());
        assertTrue(log.image().topicsByName().isEmpty());
        assertTrue(log.image().topicsById().isEmpty());
        assertEquals(Map.of(), log.image().topicConfigs("first"));
        // The name is free again, with a new id.
        assertNotEquals(first, create(spec("first", 1, 1)).topicId());
    }

    @Test
    void createsPartitionsOnlyUpwards() throws Exception {
        create(spec("t", 2, 2));
        List<TopicResult> results = get(controller.createPartitions(List.of(
                new CreatePartitionsSpec("t", 5, null),
                new CreatePartitionsSpec("missing", 3, null)), false));
        assertEquals(Errors.NONE, results.get(0).error());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, results.get(1).error());
        Map<Integer, PartitionRegistration> partitions = log.image().topicsByName().get("t").partitions();
        assertEquals(Set.of(0, 1, 2, 3, 4), partitions.keySet());
        assertEquals(2, partitions.get(4).replicas().length);

        assertEquals(Errors.INVALID_PARTITIONS,
                get(controller.createPartitions(List.of(new CreatePartitionsSpec("t", 3, null)), false)).get(0).error());
        assertEquals(Errors.INVALID_PARTITIONS,
                get(controller.createPartitions(List.of(new CreatePartitionsSpec("t", 5, null)), false)).get(0).error());
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT, get(controller.createPartitions(
                List.of(new CreatePartitionsSpec("t", 7, List.of(List.of(1)))), false)).get(0).error());

        get(controller.createPartitions(List.of(new CreatePartitionsSpec("t", 6, List.of(List.of(3, 2)))), false));
        assertArrayEquals(new int[]{3, 2}, log.image().topicsByName().get("t").partitions().get(5).replicas());
    }

    @Test
    void producerIdBlocksDoNotOverlap() throws Exception {
        long first = get(controller.allocateProducerIds(1, 1000));
        long second = get(controller.allocateProducerIds(2, 1000));
        assertEquals(first + 1000, second);
        assertEquals(second + 1000, log.image().nextProducerId());
    }

    @Test
    void concurrentCreatesOfOneNameSucceedOnce() throws Exception {
        List<CompletableFuture<List<TopicResult>>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(controller.createTopics(List.of(spec("race", 1, 1)), false));
        }
        int created = 0;
        for (CompletableFuture<List<TopicResult>> f : futures) {
            if (get(f).get(0).error() == Errors.NONE) {
                created++;
            }
        }
        assertEquals(1, created);
    }

    @Test
    void reRegistrationReplacesTheBroker() throws Exception {
        long before = log.image().brokers().get(2).brokerEpoch();
        // A restart that names its previous epoch may replace a registration whose session is still alive.
        get(controller.registerBroker(BrokerRegistrations.request("test-cluster", 2, "rack-b")
                .setPreviousBrokerEpoch(before)));
        BrokerRegistration registered = log.image().brokers().get(2);
        assertEquals("rack-b", registered.rack());
        assertTrue(registered.fenced(), "a new registration is fenced until a heartbeat shows it caught up");
        assertTrue(registered.brokerEpoch() > before);
        // Fenced brokers get no new replicas.
        TopicResult result = create(spec("two-brokers", 4, 2));
        for (PartitionRegistration p : log.image().topicsById().get(result.topicId()).partitions().values()) {
            assertFalse(p.leader() == 2 || p.replicas()[1] == 2);
        }
        assertEquals(Errors.INVALID_REPLICATION_FACTOR, create(spec("three", 1, 3)).error());
    }
}
