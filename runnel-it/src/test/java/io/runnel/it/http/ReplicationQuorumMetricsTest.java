package io.runnel.it.http;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On three nodes, read from each node's /metrics: a follower its leader holds back with a replication throttle shows its lag in
 * messages as Kafka's {@code ReplicaFetcherManager MaxLag} and its partition's {@code FetcherLagMetrics ConsumerLag},
 * both 0 again once the throttle goes; a transaction's marker for a partition whose only replica is down counted in
 * {@code TransactionMarkerChannelManager UnknownDestinationQueueSize} until the replica is back; every node's
 * {@code raft-metrics current-leader} is the active controller, and once it stops the others name the one they elect,
 * which like the first knows its {@code election-latency}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplicationQuorumMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPIC = "lagging";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final String MAX_LAG = "kafka_server_replicafetchermanager_maxlag";
    private static final String CONSUMER_LAG = "kafka_server_fetcherlagmetrics_consumerlag";
    private static final String RATE = "leader.replication.throttled.rate";
    private static final int RECORDS = 40;
    private static final String MARKED = "marked";
    private static final String UNKNOWN_DESTINATION =
            "kafka_coordinator_transaction_transactionmarkerchannelmanager_unknowndestinationqueuesize";
    private static final String LOG_APPEND_RETRY =
            "kafka_coordinator_transaction_transactionmarkerchannelmanager_logappendretryqueuesize";

    private RunnelCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aThrottledFollowerReportsItsLagAndEveryNodeNamesTheActiveControllerAsRaftLeader() throws Exception {
        PrometheusScrape.requireParser();
        cluster = RunnelCluster.builder().nodes(3)
                .brokerProperty("admin.listeners", "http://127.0.0.1:0")
                .brokerProperty("replica.lag.time.max.ms", "2000")
                // one batch per fetch: the throttle holds the follower back after its first
                .brokerProperty("replica.fetch.max.bytes", "1")
                .start();
        int leader;
        int follower;
        try (Admin admin = cluster.admin()) {
            int controller = ClusterAdmin.activeController(admin, WAIT);
            for (int node : cluster.nodeIds()) {
                Await.awaitCondition(WAIT, () -> raftLeader(node) == controller,
                        "node " + node + "'s raft-metrics current-leader is the active controller " + controller);
                assertEquals(controller, gauge(node, "kafka_server_raft_metrics_current_leader"), "node " + node);
                assertTrue(gauge(node, "kafka_server_raft_metrics_current_epoch") >= 1, "node " + node);
                assertTrue(gauge(node, "kafka_server_raft_metrics_high_watermark") > 0, "node " + node);
            }
            assertTrue(gauge(controller, "kafka_server_raft_metrics_append_records_total") > 0,
                    "the active controller appended the cluster's records");
            assertElected(controller);
            leader = cluster.nodeIds().get(0);
            follower = cluster.nodeIds().get(1);
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(leader, follower,
                    cluster.nodeIds().get(2)))).configs(Map.of("leader.replication.throttled.replicas",
                    "0:" + leader)))).all().get();
            Await.awaitCondition(WAIT, () -> {
                var description = ClusterAdmin.describeOrNull(admin, TOPIC);
                return description != null && description.partitions().get(0).isr().size() == 3;
            }, "a full ISR");
            assertEquals(0.0, gauge(follower, MAX_LAG, "clientId", "Replica"));
            alterRate(admin, leader, "1");

            // Out of the ISR first (the throttle spares ISR members), then held back by its leader.
            cluster.server(follower).replicaManager().pauseFollowerFetching(true);
            Properties acksOne = new Properties();
            acksOne.put(ProducerConfig.ACKS_CONFIG, "1");
            try (KafkaProducer<byte[], byte[]> producer = cluster.node(leader).producer(acksOne)) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[100])).get();
                }
            }
            Await.awaitCondition(WAIT, () -> cluster.server(leader).replicaManager().leaderPartition(TP).isrSize() == 2,
                    "the paused follower leaves the ISR");
            cluster.server(follower).replicaManager().pauseFollowerFetching(false);
            Await.awaitCondition(WAIT, () -> lagInRegistry(follower) > 0, "the throttled follower lags");

            double maxLag = gauge(follower, MAX_LAG, "clientId", "Replica");
            assertTrue(maxLag > 0 && maxLag <= RECORDS, "MaxLag " + maxLag);
            double partitionLag = gauge(follower, CONSUMER_LAG, "clientId", "ReplicaFetcherThread-0-" + leader,
                    "topic", TOPIC, "partition", "0");
            assertTrue(partitionLag > 0 && partitionLag <= RECORDS, "ConsumerLag " + partitionLag);
            assertEquals(0.0, gauge(leader, MAX_LAG, "clientId", "Replica"), "the leader follows nothing");

            alterRate(admin, leader, null);
            Await.awaitCondition(WAIT, () -> lagInRegistry(follower) == 0, "the follower catches up");
            assertEquals(0.0, gauge(follower, MAX_LAG, "clientId", "Replica"));
            assertEquals(0.0, gauge(follower, CONSUMER_LAG, "clientId", "ReplicaFetcherThread-0-" + leader,
                    "topic", TOPIC, "partition", "0"));

            markersWaitForTheLeaderOfAnOfflinePartition(admin, controller);
        }

        // The active controller stops: the others elect one of themselves and name it.
        int stopped = (int) gauge(cluster.nodeIds().get(0), "kafka_server_raft_metrics_current_leader");
        cluster.stop(stopped);
        List<Integer> remaining = cluster.nodeIds().stream().filter(n -> n != stopped).toList();
        for (int node : remaining) {
            Await.awaitCondition(WAIT, () -> raftLeader(node) >= 0 && raftLeader(node) != stopped,
                    "node " + node + " knows the new leader");
        }
        int elected = raftLeader(remaining.get(0));
        for (int node : remaining) {
            assertEquals(elected, gauge(node, "kafka_server_raft_metrics_current_leader"), "node " + node);
        }
        assertElected(elected);
    }

    /** A node that won an election knows how long its elections took. */
    private void assertElected(int node) throws IOException, InterruptedException {
        double avg = gauge(node, "kafka_server_raft_metrics_election_latency_avg");
        double max = gauge(node, "kafka_server_raft_metrics_election_latency_max");
        assertTrue(avg >= 0 && max >= avg, "node " + node + "'s election latency: avg " + avg + ", max " + max);
    }

    /**
     * The marker of a committed transaction for a partition whose only replica is down waits in the coordinator's
     * UnknownDestinationQueueSize until the replica is back and leads it.
     */
    private void markersWaitForTheLeaderOfAnOfflinePartition(Admin admin, int controller) throws Exception {
        String transactionalId = "marked";
        Properties transactional = new Properties();
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(transactional)) {
            producer.initTransactions();
            int coordinator = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get()
                    .coordinatorId();
            int replica = cluster.nodeIds().stream().filter(n -> n != coordinator && n != controller).findFirst()
                    .orElseThrow();
            admin.createTopics(List.of(new NewTopic(MARKED, Map.of(0, List.of(replica))))).all().get();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(MARKED, 0, null, "marked".getBytes())).get();
            assertEquals(0.0, gauge(coordinator, UNKNOWN_DESTINATION));

            cluster.stop(replica);
            producer.commitTransaction();
            Await.awaitCondition(WAIT, () -> markersAwaitingLeader(coordinator) == 1,
                    "the marker waits for a leader of " + MARKED);
            assertEquals(1.0, gauge(coordinator, UNKNOWN_DESTINATION));
            assertEquals(0.0, gauge(coordinator, LOG_APPEND_RETRY), "nothing failed to be written");

            cluster.start(replica);
            Await.awaitCondition(WAIT, () -> markersAwaitingLeader(coordinator) == 0,
                    "the marker is written once the replica leads again");
            assertEquals(0.0, gauge(coordinator, UNKNOWN_DESTINATION));
        }
    }

    private int markersAwaitingLeader(int node) {
        return ((Number) cluster.server(node).metrics().registry().getGauges().get(
                "kafka.coordinator.transaction:type=TransactionMarkerChannelManager,name=UnknownDestinationQueueSize")
                .getValue()).intValue();
    }

    /** The gauge's value as a poll can afford to read it often; the assertions read /metrics. */
    private long lagInRegistry(int node) {
        return ((Number) cluster.server(node).metrics().registry().getGauges()
                .get("kafka.server:type=ReplicaFetcherManager,name=MaxLag,clientId=Replica").getValue()).longValue();
    }

    private int raftLeader(int node) {
        return (int) (double) cluster.server(node).metrics()
                .kafkaMetricsOrNull("kafka.server:type=raft-metrics").values().get("current-leader");
    }

    private double gauge(int node, String name, String... labels) throws IOException, InterruptedException {
        return PrometheusScrape.of(cluster.server(node).adminPort()).value(name, labels)
                .orElseThrow(() -> new AssertionError(name + " is not on node " + node + "'s /metrics"));
    }

    private static void alterRate(Admin admin, int broker, String rate) throws Exception {
        ConfigEntry entry = new ConfigEntry(RATE, rate == null ? "" : rate);
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)),
                List.of(new AlterConfigOp(entry, rate == null ? AlterConfigOp.OpType.DELETE
                        : AlterConfigOp.OpType.SET)))).all().get();
    }
}
