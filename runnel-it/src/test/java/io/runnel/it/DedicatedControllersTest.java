package io.runnel.it;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three {@code process.roles=controller} nodes (the voters) and three {@code process.roles=broker} nodes: the
 * controllers serve no Kafka client listener and never register as brokers; the brokers follow the metadata log
 * and serve clients.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DedicatedControllersTest {
    private RunnelCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void brokersServeClientsWhileDedicatedControllersOnlyKeepTheMetadataLog() throws Exception {
        cluster = RunnelCluster.builder().roles("controller", "controller", "controller", "broker", "broker", "broker")
                .start();
        try (Admin admin = cluster.admin()) {
            Await.awaitCondition(Duration.ofSeconds(60), () -> get(admin.describeCluster().nodes()).stream()
                    .map(Node::id).collect(Collectors.toSet()).equals(Set.of(4, 5, 6)), "the brokers 4-6, only, register");
            QuorumInfo quorum = get(admin.describeMetadataQuorum().quorumInfo());
            assertEquals(Set.of(1, 2, 3), quorum.voters().stream().map(QuorumInfo.ReplicaState::replicaId)
                    .collect(Collectors.toSet()));
            assertEquals(Set.of(4, 5, 6), quorum.observers().stream().map(QuorumInfo.ReplicaState::replicaId)
                    .collect(Collectors.toSet()));
            get(admin.createTopics(List.of(new NewTopic("on-brokers", 3, (short) 3))).all());
        }
        RoundTrip.run(cluster, "round-trip", 3, 300, new Properties());
    }
}
