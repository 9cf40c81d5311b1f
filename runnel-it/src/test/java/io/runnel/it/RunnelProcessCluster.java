package io.runnel.it;

import io.runnel.testkit.FreePorts;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.StorageFormatter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * Several Runnel nodes, each in its own JVM with its own properties file (by default every node broker and
 * controller; the nodes with the controller role are the voters listed in {@code controller.quorum.voters}),
 * formatted with one cluster id as an operator formats them.
 */
public final class RunnelProcessCluster implements KafkaEndpoint, AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final int START_ATTEMPTS = 5;

    private final List<RunnelProcess> nodes = new ArrayList<>();
    private final List<NodeLayout> layouts = new ArrayList<>();
    private final String clusterId = Uuid.randomUuid().toString();
    private final Map<String, String> overrides;

    private RunnelProcessCluster(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    public static RunnelProcessCluster start(int size, Map<String, String> overrides) throws Exception {
        return start(Collections.nCopies(size, NodeLayout.COMBINED), overrides);
    }

    /** One node per entry of {@code roles} (its {@code process.roles}), with node ids 1, 2, ... in that order. */
    public static RunnelProcessCluster start(List<String> roles, Map<String, String> overrides) throws Exception {
        RunnelProcessCluster cluster = new RunnelProcessCluster(overrides);
        try {
            cluster.launch(roles);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts the nodes on free ports, again on other ports when a port picked as free was taken meanwhile. */
    private void launch(List<String> roles) throws Exception {
        for (int attempt = 1; ; attempt++) {
            if (launchOnce(roles)) {
                return;
            }
            close();
            nodes.clear();
            layouts.clear();
            if (attempt == START_ATTEMPTS) {
                throw new IOException("ports picked as free were taken " + START_ATTEMPTS + " times");
            }
        }
    }

    private boolean launchOnce(List<String> roles) throws Exception {
        for (int id = 1; id <= roles.size(); id++) {
            RunnelProcess node = RunnelProcess.node(overrides);
            nodes.add(node);
            layouts.add(NodeLayout.withFreePorts(id, roles.get(id - 1), node.baseDir().resolve("data")));
        }
        for (int i = 0; i < roles.size(); i++) {
            Map<String, String> props = nodes.get(i).configure(layouts.get(i), layouts);
            StorageFormatter.format(BrokerConfig.parse(props), clusterId, false);
        }
        // A node's start-up waits for a quorum leader, which needs a majority: spawn all, then wait for each.
        for (RunnelProcess node : nodes) {
            node.spawn();
        }
        Await.awaitCondition(START_TIMEOUT, () -> nodes.stream().allMatch(RunnelProcess::started)
                        || nodes.stream().anyMatch(RunnelProcess::diedOfTakenPort),
                "every node prints 'Runnel started' (outputs under target/runnel-process-*.out)");
        if (nodes.stream().anyMatch(RunnelProcess::diedOfTakenPort)) {
            return false;
        }
        nodes.forEach(RunnelProcess::requireStarted);
        return true;
    }

    /**
     * Starts one more node, playing {@code roles} and formatted for cluster {@code clusterId} (this cluster's or
     * another), without waiting: the caller watches it start or fail. Its file names the cluster's voters, with
     * {@code settings} over the cluster's overrides.
     */
    public RunnelProcess spawn(String roles, String clusterId, Map<String, String> settings) throws Exception {
        Map<String, String> nodeOverrides = new HashMap<>(overrides);
        nodeOverrides.putAll(settings);
        RunnelProcess node = RunnelProcess.node(nodeOverrides);
        NodeLayout layout = NodeLayout.withFreePorts(layouts.size() + 1, roles, node.baseDir().resolve("data"));
        List<NodeLayout> cluster = new ArrayList<>(layouts);
        cluster.add(layout);
        StorageFormatter.format(BrokerConfig.parse(node.configure(layout, cluster)), clusterId, false);
        nodes.add(node);
        layouts.add(layout);
        node.spawn();
        return node;
    }

    /** The voters' controller listeners as {@code controller.quorum.bootstrap.servers} lists them. */
    public String controllerBootstrapServers() {
        return layouts.stream().filter(NodeLayout::controller).map(n -> "127.0.0.1:" + n.controllerPort())
                .collect(Collectors.joining(","));
    }

    public RunnelProcess node(int nodeId) {
        return nodes.stream().filter(n -> n.nodeId() == nodeId).findFirst().orElseThrow();
    }

    public List<Integer> nodeIds() {
        return nodes.stream().map(RunnelProcess::nodeId).toList();
    }

    public String clusterId() {
        return clusterId;
    }

    @Override
    public String bootstrapServers() {
        return nodes.stream().filter(RunnelProcess::broker).map(RunnelProcess::bootstrapServers)
                .collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        // Together: a node stopping last would otherwise wait out its controlled shutdown without a quorum.
        nodes.parallelStream().forEach(node -> {
            try {
                node.close();
            } catch (RuntimeException e) {
                // Close the others regardless; the failure shows in that node's output file.
            }
        });
    }
}
