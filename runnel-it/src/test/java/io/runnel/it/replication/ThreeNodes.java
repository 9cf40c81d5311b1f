package io.runnel.it.replication;

import static io.runnel.it.Await.awaitCondition;

import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartitionInfo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Three in-process nodes and an Admin client, with what the replication tests ask of them. */
final class ThreeNodes implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);

    final RunnelCluster cluster;
    final Admin admin;

    private ThreeNodes(RunnelCluster cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    /** Starts the nodes with the given broker properties (key, value, ...). */
    static ThreeNodes start(String... brokerProperties) throws Exception {
        RunnelCluster.Builder builder = RunnelCluster.builder();
        for (int i = 0; i < brokerProperties.length; i += 2) {
            builder.brokerProperty(brokerProperties[i], brokerProperties[i + 1]);
        }
        return start(builder);
    }

    /** Starts three nodes as the builder says otherwise; the Admin client uses their PLAINTEXT listener. */
    static ThreeNodes start(RunnelCluster.Builder builder) throws Exception {
        return new ThreeNodes(builder.nodes(3).start());
    }

    /**
     * One partition on all three nodes, min.insync.replicas=2, once all three are unfenced (a node restarted by an
     * earlier test may still be catching up).
     */
    void createTopic(String name) throws Exception {
        awaitCondition(WAIT, () -> unfencedBrokers() == 3, "three unfenced brokers");
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")))).all().get();
    }

    private int unfencedBrokers() {
        try {
            return admin.describeCluster().nodes().get().size();
        } catch (ExecutionException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Partition 0 of the topic, or null while the node asked has not applied the topic yet. */
    TopicPartitionInfo describe(String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0);
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The leader of the topic's partition, once there is one. */
    int leaderOf(String topic) {
        int[] leader = {-1};
        awaitCondition(WAIT, () -> {
            TopicPartitionInfo info = describe(topic);
            leader[0] = info == null || info.leader() == null ? -1 : info.leader().id();
            return leader[0] >= 0;
        }, topic + " has a leader");
        return leader[0];
    }

    /** The size of the topic's ISR, -1 while unknown. */
    int isrSize(String topic) {
        TopicPartitionInfo info = describe(topic);
        return info == null ? -1 : info.isr().size();
    }

    /** Holds back (or lets go) the follower fetchers of the given nodes. */
    void pauseFetching(List<Integer> nodes, boolean paused) {
        nodes.forEach(n -> cluster.server(n).replicaManager().pauseFollowerFetching(paused));
    }

    @Override
    public void close() {
        admin.close();
        cluster.close();
    }
}
