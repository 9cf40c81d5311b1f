package io.runnel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class RunnelClusterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aProducerAndAConsumerRoundTripThroughOneBroker() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.start(1)) {
            cluster.createTopic("orders", 3);
            Records.produce(cluster.bootstrapServers(), "orders", List.of("a", "b", "c"));
            List<String> read = Records.consume(cluster.bootstrapServers(), "orders", 3, TIMEOUT);
            assertEquals(List.of("a", "b", "c"), read.stream().sorted().toList());
            assertEquals(3, cluster.admin().describeTopics(List.of("orders")).allTopicNames().get()
                    .get("orders").partitions().size());
        }
    }

    @Test
    void threeBrokersReplicateATopicOfReplicationFactorThree() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.start(3)) {
            assertEquals(3, cluster.bootstrapServers().split(",").length);
            assertEquals(3, cluster.admin().describeCluster().nodes().get().size());
            cluster.createTopic("replicated", 2, 3);
            TopicDescription description = cluster.admin().describeTopics(List.of("replicated")).allTopicNames().get()
                    .get("replicated");
            for (TopicPartitionInfo partition : description.partitions()) {
                assertEquals(3, partition.replicas().size());
            }
            Records.produce(cluster.bootstrapServers(), "replicated", List.of("x", "y"));
            assertEquals(List.of("x", "y"), Records.consume(cluster.bootstrapServers(), "replicated", 2, TIMEOUT)
                    .stream().sorted().toList());
        }
    }

    @Test
    void closeDeletesTheDataDirectory() {
        Path dataDir;
        try (RunnelCluster cluster = RunnelCluster.start(1)) {
            dataDir = cluster.dataDir();
            cluster.createTopic("kept-until-close", 1);
            assertTrue(Files.isDirectory(dataDir));
        }
        assertFalse(Files.exists(dataDir));
    }

    @Test
    void aClusterHasOneToThreeBrokers() {
        assertThrows(IllegalArgumentException.class, () -> RunnelCluster.builder().brokers(0));
        assertThrows(IllegalArgumentException.class, () -> RunnelCluster.builder().brokers(4));
    }
}
