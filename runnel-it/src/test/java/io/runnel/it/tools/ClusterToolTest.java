package io.runnel.it.tools;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel cluster cluster-id} and {@code unregister} of a retired broker, as kafka-cluster.sh on three nodes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterToolTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    @Test
    void aRetiredBrokerIsUnregisteredAndTheClusterIdPrinted() throws Exception {
        try (RunnelCluster cluster = RunnelCluster.builder().nodes(3).start();
             Admin admin = cluster.admin()) {
            get(admin.createTopics(List.of(new NewTopic("retiring", Map.of(0, List.of(3, 1, 2))))).all());
            RunnelCli cli = new RunnelCli(workDir);
            RunnelCli.Result id = cli.run("", "cluster", "cluster-id", "--bootstrap-server", cluster.bootstrapServers());
            assertEquals("Cluster ID: " + cluster.clusterId() + "\n", id.out(), id.toString());

            cluster.stop(3);
            RunnelCli.Result unregistered = cli.run("", "cluster", "unregister", "-b", cluster.bootstrapServers(),
                    "--id", "3");
            assertEquals(0, unregistered.exitCode(), unregistered.toString());
            assertEquals("Broker 3 is no longer registered.\n", unregistered.out());
            Await.awaitCondition(WAIT, () -> registered(admin).equals(Set.of(1, 2)),
                    "brokers 1 and 2 are the registered ones, fenced or not");

            RunnelCli.Result again = cli.run("", "cluster", "unregister", "-b", cluster.bootstrapServers(), "--id", "3");
            assertEquals(1, again.exitCode(), again.toString());
            assertTrue(again.err().contains("registered"), again.err());
        }
    }

    private static Set<Integer> registered(Admin admin) {
        return get(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes()).stream()
                .map(Node::id).collect(Collectors.toSet());
    }
}
