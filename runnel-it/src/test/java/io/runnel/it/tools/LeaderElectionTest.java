package io.runnel.it.tools;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelCluster;
import io.runnel.it.RunnelProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leadership returns to the preferred replica after its broker comes back: by {@code runnel leader-election} on
 * three broker processes, and by the controller's leader balancing ({@code auto.leader.rebalance.enable}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeaderElectionTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "elected";
    /** Node 1 is the preferred replica of partition 0, node 2 of partition 1. */
    private static final Map<Integer, List<Integer>> ASSIGNMENT = Map.of(0, List.of(1, 2, 3), 1, List.of(2, 3, 1));

    @TempDir
    Path workDir;

    @Test
    void theToolElectsThePreferredReplicaOnceItsBrokerIsBack() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3, Map.of(
                "auto.leader.rebalance.enable", "false",
                "broker.heartbeat.interval.ms", "300", "broker.session.timeout.ms", "3000"));
             Admin admin = ClusterAdmin.admin(cluster)) {
            get(admin.createTopics(List.of(new NewTopic(TOPIC, ASSIGNMENT))).all());
            awaitPartition0(admin, p -> p.leader() != null && p.leader().id() == 1 && p.isr().size() == 3,
                    "led by node 1 with a full ISR");
            cluster.node(1).kill9();
            awaitPartition0(admin, p -> p.leader() != null && p.leader().id() != 1, "led by another node");
            cluster.node(1).start();
            awaitPartition0(admin, p -> p.isr().size() == 3, "node 1 back in the ISR");
            assertEquals(2, leaderOfPartition0(admin), "a returning broker does not take leadership back alone");

            RunnelCli cli = new RunnelCli(workDir);
            RunnelCli.Result elected = cli.run("", "leader-election", "--bootstrap-server", cluster.bootstrapServers(),
                    "--election-type", "preferred", "--all-topic-partitions");
            assertEquals(0, elected.exitCode(), elected.toString());
            assertEquals("Successfully completed leader election (PREFERRED) for partitions " + TOPIC + "-0\n",
                    elected.out());
            awaitPartition0(admin, p -> p.leader() != null && p.leader().id() == 1, "led by node 1 again");

            Path json = workDir.resolve("election.json");
            Files.writeString(json, "{\"partitions\": [{\"topic\": \"" + TOPIC + "\", \"partition\": 0}]}");
            RunnelCli.Result again = cli.run("", "leader-election", "--bootstrap-server", cluster.bootstrapServers(),
                    "--election-type", "preferred", "--path-to-json-file", json.toString());
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals("Valid replica already elected for partitions " + TOPIC + "-0\n", again.out());

            RunnelCli.Result unclean = cli.run("", "leader-election", "--bootstrap-server", cluster.bootstrapServers(),
                    "--election-type", "unclean", "--topic", TOPIC, "--partition", "1");
            assertEquals(0, unclean.exitCode(), unclean.toString());
            assertEquals("Valid replica already elected for partitions " + TOPIC + "-1\n", unclean.out(),
                    "a partition with a leader needs no unclean election");
        }
    }

    @Test
    void theControllerBalancesLeadershipBackWhenEnabled() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().nodes(3)
                .brokerProperty("leader.imbalance.check.interval.seconds", "1").start();
             Admin admin = cluster.admin()) {
            get(admin.createTopics(List.of(new NewTopic(TOPIC, ASSIGNMENT))).all());
            awaitPartition0(admin, p -> p.leader() != null && p.leader().id() == 1 && p.isr().size() == 3,
                    "led by node 1 with a full ISR");
            cluster.stop(1);
            awaitPartition0(admin, p -> p.leader() != null && p.leader().id() != 1, "led by another node");
            cluster.start(1);
            awaitPartition0(admin, p -> p.leader() != null && p.leader().id() == 1,
                    "led by node 1 again without an election asked for");
        }
    }

    private interface PartitionCheck {
        boolean test(TopicPartitionInfo partition);
    }

    private static void awaitPartition0(Admin admin, PartitionCheck check, String what) {
        Await.awaitCondition(WAIT, () -> {
            TopicDescription topic = ClusterAdmin.describeOrNull(admin, TOPIC);
            return topic != null && check.test(topic.partitions().get(0));
        }, TOPIC + "-0 " + what);
    }

    private static int leaderOfPartition0(Admin admin) {
        TopicDescription topic = ClusterAdmin.describeOrNull(admin, TOPIC);
        assertTrue(topic != null && topic.partitions().get(0).leader() != null, TOPIC + " is described with a leader");
        return topic.partitions().get(0).leader().id();
    }
}
