package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata of one named topic and of every topic (v0: an empty list, v1+: a null list): the broker, the controller and
 * cluster id where the version has them, the topic id from v10, each partition's leader, replicas and ISR, and the
 * authorized operations when asked (v8+).
 */
final class MetadataScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.METADATA;
    }

    @Override
    public void run(Exchange x) throws Exception {
        MetadataResponseData named = x.send(request(x, List.of(
                new MetadataRequestData.MetadataRequestTopic().setName(Fixture.TOPIC))));
        checkCluster(x, named);
        assertEquals(1, named.topics().size(), "topics of a request naming one");
        checkTopic(x, named.topics().find(Fixture.TOPIC));

        MetadataResponseData all = x.send(request(x, x.atLeast(1) ? null : List.of()));
        checkCluster(x, all);
        Set<String> names = all.topics().stream().map(MetadataResponseData.MetadataResponseTopic::name)
                .collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of(Fixture.TOPIC, Fixture.PRODUCE_TOPIC, Fixture.TRIM_TOPIC,
                Fixture.CONFIG_TOPIC)), "every topic: " + names);
        checkTopic(x, all.topics().find(Fixture.TOPIC));
        assertEquals(KafkaOperations.OMITTED, all.topics().find(Fixture.TOPIC).topicAuthorizedOperations(),
                "topic operations not asked for");

        if (x.atLeast(8)) {
            MetadataRequestData withOperations = request(x, List.of(
                    new MetadataRequestData.MetadataRequestTopic().setName(Fixture.TOPIC)))
                    .setIncludeTopicAuthorizedOperations(true);
            if (x.version() <= 10) {
                withOperations.setIncludeClusterAuthorizedOperations(true);
            }
            MetadataResponseData operations = x.send(withOperations);
            assertEquals(KafkaOperations.bits(KafkaOperations.TOPIC),
                    operations.topics().find(Fixture.TOPIC).topicAuthorizedOperations(), "topic operations (v8+)");
            assertEquals(x.version() <= 10 ? KafkaOperations.bits(KafkaOperations.CLUSTER) : KafkaOperations.OMITTED,
                    operations.clusterAuthorizedOperations(), "cluster operations (v8-v10)");
        }
    }

    static MetadataRequestData request(Exchange x, List<MetadataRequestData.MetadataRequestTopic> topics) {
        MetadataRequestData request = new MetadataRequestData().setTopics(topics);
        if (x.atLeast(4)) {
            request.setAllowAutoTopicCreation(false);
        }
        return request;
    }

    private static void checkCluster(Exchange x, MetadataResponseData response) {
        Fixture f = x.fixture();
        assertEquals(1, response.brokers().size(), "brokers");
        MetadataResponseData.MetadataResponseBroker broker = response.brokers().iterator().next();
        assertEquals(f.nodeId(), broker.nodeId(), "broker id");
        assertEquals("127.0.0.1", broker.host(), "broker host");
        assertEquals(f.brokerPort(), broker.port(), "broker port");
        assertEquals(x.atLeast(1) ? f.nodeId() : -1, response.controllerId(), "controller id (v1+)");
        assertEquals(x.atLeast(2) ? f.clusterId() : null, response.clusterId(), "cluster id (v2+)");
    }

    private static void checkTopic(Exchange x, MetadataResponseData.MetadataResponseTopic topic) {
        assertNotNull(topic, Fixture.TOPIC + " in the response");
        assertEquals(Errors.NONE.code(), topic.errorCode(), "topic error");
        assertEquals(x.atLeast(10) ? x.fixture().topicId() : Uuid.ZERO_UUID, topic.topicId(),
                "topic id (v10+)");
        assertEquals(false, topic.isInternal(), "internal");
        assertEquals(2, topic.partitions().size(), "partitions");
        int node = x.fixture().nodeId();
        assertEquals(Set.of(0, 1), topic.partitions().stream()
                .map(MetadataResponseData.MetadataResponsePartition::partitionIndex).collect(Collectors.toSet()),
                "partition indexes");
        for (MetadataResponseData.MetadataResponsePartition partition : topic.partitions()) {
            assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error");
            assertEquals(node, partition.leaderId(), "leader");
            assertEquals(List.of(node), partition.replicaNodes(), "replicas");
            assertEquals(List.of(node), partition.isrNodes(), "ISR");
            if (x.atLeast(7)) {
                assertTrue(partition.leaderEpoch() >= 0, "leader epoch (v7+)");
            } else {
                assertEquals(-1, partition.leaderEpoch(), "no leader epoch before v7");
            }
        }
    }
}
