package io.runnel.it.quotas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client quotas on three nodes: a quota set through node 1 reaches every broker through the metadata log, and the
 * leader on node 3 holds a producer writing to it to the quota, as each Kafka broker enforces quotas on its own
 * traffic.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterQuotasTest {
    private static final String TOPIC = "quota-cluster";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().nodes(3).brokerProperty("quota.window.num", "2")
                .brokerProperty("quota.window.size.seconds", "1").start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aQuotaSetThroughOneNodeHoldsAProducerToAPartitionLedByAnother() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.node(1).bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(1, 2, 3), 1, List.of(3, 1, 2)))))
                    .all().get();
            Await.awaitCondition(WAIT, () -> leaderOf(admin, 1) == 3, "node 3 leads partition 1");
            ClientQuotasTest.setQuota(admin, new ClientQuotaEntity(Collections.singletonMap(
                    ClientQuotaEntity.CLIENT_ID, "slow-on-node-3")), "producer_byte_rate", ClientQuotasTest.RATE);
        }
        long started = System.nanoTime();
        double throttled = ClientQuotasTest.produce(cluster, "slow-on-node-3", TOPIC, 1);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(throttled > 0, "node 3 gave the producer throttle times, longest " + throttled);
        System.out.printf("kafka-clients producer to node 3 of 3: %d KiB at a quota of %.0f bytes/s: %d ms%n",
                ClientQuotasTest.RECORDS, ClientQuotasTest.RATE, elapsedMs);
        assertTrue(elapsedMs >= ClientQuotasTest.LEAST_MS, ClientQuotasTest.RECORDS + " KiB at "
                + ClientQuotasTest.RATE + " bytes/s took only " + elapsedMs + " ms");
        assertEquals(0.0, ClientQuotasTest.produce(cluster, "free-on-node-3", TOPIC, 1),
                "a producer without a quota is not throttled");
    }

    private static int leaderOf(Admin admin, int partition) {
        try {
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions()
                    .get(partition).leader().id();
        } catch (Exception e) {
            return -1;
        }
    }
}
