package io.runnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ReplicaManager and KafkaController MBeans of a three-node process cluster: a SIGSTOPped follower shows as an
 * under-replicated, under-min-ISR partition on its leader until SIGCONT, and exactly one node counts itself the active
 * controller.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JmxClusterMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPIC = "watched";
    private static final String UNDER_REPLICATED = "kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions";
    private static final String UNDER_MIN_ISR = "kafka.server:type=ReplicaManager,name=UnderMinIsrPartitionCount";
    private static final String ACTIVE_CONTROLLER = "kafka.controller:type=KafkaController,name=ActiveControllerCount";

    private RunnelProcessCluster cluster;
    private final Map<Integer, LocalJmx> jmx = new HashMap<>();

    @AfterEach
    void stop() throws Exception {
        for (LocalJmx connection : jmx.values()) {
            connection.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aStoppedFollowerMakesItsLeaderUnderReplicatedUntilItResumes() throws Exception {
        cluster = RunnelProcessCluster.start(3, Map.of("replica.lag.time.max.ms", "2000"));
        for (int id : cluster.nodeIds()) {
            jmx.put(id, LocalJmx.attach(cluster.node(id).pid()));
        }
        Await.awaitCondition(WAIT, () -> sum(ACTIVE_CONTROLLER) == 1, "one node is the active controller");
        int leader;
        int follower;
        try (Admin admin = ClusterAdmin.admin(cluster)) {
            // min.insync.replicas = the replication factor: one follower short is under min ISR too.
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.of((short) 3))
                    .configs(Map.of("min.insync.replicas", "3")))).all().get();
            Await.awaitCondition(WAIT, () -> fullIsr(admin), TOPIC + " has a leader and a full ISR");
            leader = ClusterAdmin.describeOrNull(admin, TOPIC).partitions().get(0).leader().id();
            int controller = ClusterAdmin.activeController(admin, WAIT);
            int chosenLeader = leader;
            // Not the controller: its quorum stays up, and only the replication changes.
            follower = cluster.nodeIds().stream().filter(id -> id != chosenLeader && id != controller)
                    .findFirst().orElseThrow();
        }
        LocalJmx onLeader = jmx.get(leader);
        Await.awaitCondition(WAIT, () -> onLeader.gauge(UNDER_REPLICATED) == 0, "a full ISR is not under-replicated");
        assertEquals(0, onLeader.gauge(UNDER_MIN_ISR));

        RunnelProcess stopped = cluster.node(follower);
        stopped.pause();
        try {
            // A silent follower at the leader's log end stays caught up: records it does not fetch leave it behind.
            // Bootstrapped on the leader: a client must not wait on the stopped node.
            try (KafkaProducer<byte[], byte[]> producer = cluster.node(leader).producer(acksOne())) {
                producer.send(new ProducerRecord<>(TOPIC, new byte[10])).get();
            }
            Await.awaitCondition(WAIT, () -> onLeader.gauge(UNDER_REPLICATED) == 1 && onLeader.gauge(UNDER_MIN_ISR) == 1,
                    "the leader counts its partition under-replicated and under min ISR");
        } finally {
            stopped.resume();
        }
        Await.awaitCondition(WAIT, () -> onLeader.gauge(UNDER_REPLICATED) == 0 && onLeader.gauge(UNDER_MIN_ISR) == 0,
                "the resumed follower rejoins the ISR");
        Await.awaitCondition(WAIT, () -> sum(UNDER_REPLICATED) == 0, "no node has an under-replicated partition");
        Await.awaitCondition(WAIT, () -> sum(ACTIVE_CONTROLLER) == 1, "one node is the active controller");
    }

    private int sum(String gauge) {
        int total = 0;
        for (LocalJmx connection : jmx.values()) {
            total += connection.gauge(gauge);
        }
        return total;
    }

    private static boolean fullIsr(Admin admin) {
        var description = ClusterAdmin.describeOrNull(admin, TOPIC);
        if (description == null) {
            return false;
        }
        Node leader = description.partitions().get(0).leader();
        return leader != null && !leader.isEmpty() && description.partitions().get(0).isr().size() == 3;
    }

    private static Properties acksOne() {
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        return props;
    }
}
