package io.runnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.runnel.it.wire.ApiConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the BrokerTopicMetrics count in Kafka's terms, read from in-process brokers' registries: followers' fetches are
 * replication bytes, not BytesOut; a batch refused for its size is rejected bytes, not a failed produce request; a
 * deleted topic's metrics go, and a topic that does not exist gets none.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ALL = "kafka.server:type=BrokerTopicMetrics,name=";
    private static final String CONTROLLER = "kafka.controller:type=KafkaController,name=";
    private static final String FETCH_FOLLOWER_REQUESTS =
            "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=FetchFollower,version=";

    private RunnelCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private long count(int nodeId, String name) {
        Meter meter = cluster.server(nodeId).metrics().registry().getMeters().get(name);
        return meter == null ? 0 : meter.getCount();
    }

    @Test
    void followerFetchesAreReplicationBytesAndOnlyTheLeaderCountsMessagesIn() throws Exception {
        cluster = RunnelCluster.builder().nodes(3).start();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("replicated", Optional.of(1), Optional.of((short) 3)))).all().get();
        }
        Properties acksAll = new Properties();
        acksAll.put(ProducerConfig.ACKS_CONFIG, "all");
        int leader;
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(acksAll)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("replicated", new byte[50])).get();
            }
        }
        try (Admin admin = cluster.admin()) {
            leader = admin.describeTopics(List.of("replicated")).allTopicNames().get().get("replicated")
                    .partitions().get(0).leader().id();
        }
        assertEquals(10, count(leader, ALL + "MessagesInPerSec,topic=replicated"));
        assertTrue(count(leader, ALL + "ReplicationBytesOutPerSec") >= 500);
        assertEquals(0, count(leader, ALL + "BytesOutPerSec"), "no consumer read: BytesOut counts consumers only");
        for (int follower : cluster.nodeIds()) {
            if (follower != leader) {
                // acks=all answered: each follower has appended every record
                assertTrue(count(follower, ALL + "ReplicationBytesInPerSec") >= 500, "node " + follower);
                assertEquals(0, count(follower, ALL + "MessagesInPerSec"), "node " + follower);
            }
        }
        long followerFetches = cluster.server(leader).metrics().registry().getMeters().entrySet().stream()
                .filter(e -> e.getKey().startsWith(FETCH_FOLLOWER_REQUESTS)).mapToLong(e -> e.getValue().getCount()).sum();
        assertTrue(followerFetches > 0, "followers' fetches count as RequestsPerSec,request=FetchFollower");

        // Every node is a controller here: each counts the cluster from its image, one counts itself active.
        for (int node : cluster.nodeIds()) {
            Await.awaitCondition(WAIT, () -> gauge(node, CONTROLLER + "GlobalTopicCount") == 1
                    && gauge(node, CONTROLLER + "GlobalPartitionCount") == 1
                    && gauge(node, CONTROLLER + "ActiveBrokerCount") == 3
                    && gauge(node, CONTROLLER + "FencedBrokerCount") == 0
                    && gauge(node, CONTROLLER + "OfflinePartitionsCount") == 0, "node " + node + " counts the cluster");
        }
        Await.awaitCondition(WAIT, () -> cluster.nodeIds().stream()
                .mapToInt(n -> gauge(n, CONTROLLER + "ActiveControllerCount")).sum() == 1, "one active controller");
    }

    private int gauge(int nodeId, String name) {
        return ((Number) cluster.server(nodeId).metrics().registry().getGauges().get(name).getValue()).intValue();
    }

    @Test
    void anOversizedBatchIsRejectedBytesAndNoFailedProduceRequest() throws Exception {
        cluster = RunnelCluster.builder().nodes(1).start();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic("small", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "1000")))).all().get();
        }
        Properties noRetries = new Properties();
        noRetries.put(ProducerConfig.RETRIES_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(noRetries)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("small", new byte[5000])).get());
            assertInstanceOf(RecordTooLargeException.class, refused.getCause());
        }
        assertTrue(count(1, ALL + "BytesRejectedPerSec,topic=small") >= 5000);
        assertEquals(0, count(1, ALL + "FailedProduceRequestsPerSec"));
        assertEquals(1, count(1, ALL + "TotalProduceRequestsPerSec,topic=small"));
        assertEquals(0, count(1, ALL + "MessagesInPerSec,topic=small"));
        assertEquals(1, count(1, "kafka.network:type=RequestMetrics,name=ErrorsPerSec,request=Produce,error=MESSAGE_TOO_LARGE"));

        MetricRegistry registry = cluster.server(1).metrics().registry();
        // A topic that does not exist here gets no meters, whatever a client names.
        ProduceRequestData toNowhere = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        toNowhere.topicData().add(new ProduceRequestData.TopicProduceData().setName("absent").setPartitionData(
                List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(null))));
        try (ApiConnection connection = new ApiConnection(cluster.bootstrapServers(), "metrics-test")) {
            connection.send(toNowhere, (short) 9);
        }
        assertEquals(List.of(), registry.getNames().stream().filter(n -> n.contains("topic=absent")).toList());

        assertEquals(0L, registry.getGauges().get("kafka.log:type=Log,name=LogEndOffset,topic=small,partition=0").getValue());
        try (Admin admin = cluster.admin()) {
            admin.deleteTopics(List.of("small")).all().get();
        }
        Await.awaitCondition(WAIT, () -> registry.getNames().stream().noneMatch(n -> n.contains("topic=small")),
                "a deleted topic's log gauges and topic meters go");
    }
}
