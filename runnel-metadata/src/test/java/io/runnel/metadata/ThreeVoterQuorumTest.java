package io.runnel.metadata;

import static io.runnel.metadata.QuorumTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreeVoterQuorumTest {
    @TempDir
    Path dir;
    private final List<MetadataQuorum> quorums = new ArrayList<>();

    @AfterEach
    void closeAll() {
        quorums.forEach(MetadataQuorum::close);
    }

    private void startCluster() throws Exception {
        startCluster(0);
    }

    private void startCluster(int listeners) throws Exception {
        quorums.addAll(QuorumTestSupport.startThreeVoters(dir, listeners));
    }

    static CountDownLatch awaitTopic(MetadataQuorum quorum, String topic) {
        CountDownLatch seen = new CountDownLatch(1);
        quorum.addListener((previous, current) -> {
            if (current.topicsByName().containsKey(topic)) {
                seen.countDown();
            }
        });
        return seen;
    }

    static TopicResult create(MetadataQuorum member, String topic) throws Exception {
        return get(member.controller().createTopics(
                List.of(new CreateTopicSpec(topic, 2, (short) -1, Map.of(), Map.of())), false)).get(0);
    }

    @Test
    void everyMemberServesControllerOperations() throws Exception {
        startCluster();
        for (int id = 1; id <= 3; id++) {
            // Registration of broker n through member n: two of the three are followers.
            BrokerRegistrations.registerUnfenced(quorums.get(id - 1).controller(), QuorumTestSupport.CLUSTER_ID, id,
                    null);
        }
        Set<Long> producerIdBlocks = new HashSet<>();
        for (MetadataQuorum member : quorums) {
            String topic = "from-" + quorums.indexOf(member);
            assertEquals(Errors.NONE, create(member, topic).error());
            assertEquals(Errors.TOPIC_ALREADY_EXISTS, create(member, topic).error(), "validated against the image");
            assertTrue(producerIdBlocks.add(get(member.controller().allocateProducerIds(1, 10))));
            ConfigResult altered = get(member.controller().incrementalAlterConfigs(Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new ConfigChange("retention.ms", AlterConfigOp.OpType.SET, "1000"))), false)).get(0);
            assertEquals(Errors.NONE, altered.error());
        }
        assertEquals(1, quorums.stream().filter(MetadataQuorum::isActiveController).count());
        MetadataQuorum leader = quorums.stream().filter(MetadataQuorum::isActiveController).findFirst().orElseThrow();
        for (int i = 0; i < 3; i++) {
            assertEquals(Map.of("retention.ms", "1000"), leader.image().topicConfigs("from-" + i));
        }
        assertEquals(3, leader.image().brokers().values().stream().filter(b -> !b.fenced()).count());
    }

    @Test
    void listenersApplyEveryEntryServeOperationsAndAreObserversNeverLeaders() throws Exception {
        startCluster(2);
        MetadataQuorum listener = quorums.get(3);
        for (int id = 1; id <= 3; id++) {
            BrokerRegistrations.registerUnfenced(quorums.get(3 + id % 2).controller(), QuorumTestSupport.CLUSTER_ID,
                    id, null);
        }
        List<CountDownLatch> seen = quorums.stream().map(q -> awaitTopic(q, "via-listener")).toList();
        assertEquals(Errors.NONE, create(listener, "via-listener").error());
        for (CountDownLatch latch : seen) {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "every member, listeners included, applies the entry");
        }
        assertFalse(quorums.get(3).isActiveController());
        assertFalse(quorums.get(4).isActiveController());
        DescribeQuorumResponseData.PartitionData described = get(listener.describeQuorum()).topics().get(0)
                .partitions().get(0);
        assertEquals(Set.of(1, 2, 3), described.currentVoters().stream()
                .map(DescribeQuorumResponseData.ReplicaState::replicaId).collect(Collectors.toSet()));
        assertEquals(Set.of(4, 5), described.observers().stream()
                .map(DescribeQuorumResponseData.ReplicaState::replicaId).collect(Collectors.toSet()));
        assertEquals(listener.activeControllerId(), described.leaderId());
    }

    @Test
    void followersApplyAndANewLeaderTakesOver() throws Exception {
        startCluster();
        List<MetadataQuorum> leaders = quorums.stream().filter(MetadataQuorum::isActiveController).toList();
        assertEquals(1, leaders.size());
        MetadataQuorum leader = leaders.get(0);
        for (int id = 1; id <= 3; id++) {
            BrokerRegistrations.registerUnfenced(leader.controller(), QuorumTestSupport.CLUSTER_ID, id, null);
        }
        List<CountDownLatch> seenBefore = quorums.stream().map(q -> awaitTopic(q, "before")).toList();
        assertEquals(Errors.NONE, create(leader, "before").error());
        for (CountDownLatch latch : seenBefore) {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "every voter applies the entry");
        }

        leader.close();
        List<MetadataQuorum> survivors = quorums.stream().filter(q -> q != leader).toList();
        List<CountDownLatch> seenAfter = survivors.stream().map(q -> awaitTopic(q, "after")).toList();
        // Through either survivor: the operation waits out the election and reaches the new leader.
        TopicResult after = create(survivors.get(0), "after");

        assertEquals(Errors.NONE, after.error());
        assertEquals(3, after.replicationFactor());
        for (CountDownLatch latch : seenAfter) {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        }
        for (MetadataQuorum q : survivors) {
            assertTrue(q.image().topicsByName().containsKey("before"));
            assertEquals(survivors.get(0).image().topicsByName(), q.image().topicsByName());
        }
        assertFalse(leader.isActiveController());
    }
}
