package io.runnel.it;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.StorageFormatter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;

/**
 * Runnel nodes as {@link RunnelProcessCluster} starts them (own JVM, own properties file, one cluster id), each in
 * its own network namespace of {@link NetworkNamespaces} and listening on that namespace's address, so that a test
 * can cut one node off from the others while it still reaches every node itself. In its own namespace a node has
 * every port to itself: all use 9092 for clients and 9093 for the quorum.
 */
public final class NamespacedProcessCluster implements KafkaEndpoint, AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int BROKER_PORT = 9092;
    private static final int CONTROLLER_PORT = 9093;

    private final NetworkNamespaces network;
    private final List<RunnelProcess> nodes = new ArrayList<>();
    private final List<NodeLayout> layouts = new ArrayList<>();

    private NamespacedProcessCluster(NetworkNamespaces network) {
        this.network = network;
    }

    /** Creates the namespaces and starts {@code size} nodes, ids from 1; skips the test without namespaces. */
    public static NamespacedProcessCluster start(int size, Map<String, String> overrides) throws Exception {
        NamespacedProcessCluster cluster = new NamespacedProcessCluster(NetworkNamespaces.create(size));
        try {
            cluster.launch(size, overrides);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void launch(int size, Map<String, String> overrides) throws Exception {
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(id -> id + "@" + network.address(id) + ":" + CONTROLLER_PORT)
                .collect(Collectors.joining(","));
        for (int id = 1; id <= size; id++) {
            Map<String, String> props = new HashMap<>(overrides);
            String host = network.address(id);
            props.put("listeners", "PLAINTEXT://" + host + ":" + BROKER_PORT + ",CONTROLLER://" + host + ":"
                    + CONTROLLER_PORT);
            props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + BROKER_PORT);
            props.put("controller.quorum.voters", voters);
            RunnelProcess node = RunnelProcess.node(props, network.execIn(id));
            nodes.add(node);
            layouts.add(new NodeLayout(id, NodeLayout.COMBINED, BROKER_PORT, CONTROLLER_PORT, node.baseDir().resolve("data")));
        }
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < size; i++) {
            StorageFormatter.format(BrokerConfig.parse(nodes.get(i).configure(layouts.get(i), layouts)), clusterId,
                    false);
        }
        for (RunnelProcess node : nodes) {
            node.spawn();
        }
        Await.awaitCondition(START_TIMEOUT, () -> nodes.stream().allMatch(RunnelProcess::started)
                        || nodes.stream().anyMatch(RunnelProcess::exited),
                "every node prints 'Runnel started' (outputs under target/runnel-process-*.out)");
        nodes.forEach(RunnelProcess::requireStarted);
    }

    public List<Integer> nodeIds() {
        return nodes.stream().map(RunnelProcess::nodeId).toList();
    }

    /** Node {@code id} alone, as a client bootstrapped on it only sees it. */
    public KafkaEndpoint node(int id) {
        return () -> network.address(id) + ":" + BROKER_PORT;
    }

    /** The given nodes together. */
    public KafkaEndpoint nodes(List<Integer> ids) {
        return () -> ids.stream().map(id -> node(id).bootstrapServers()).collect(Collectors.joining(","));
    }

    @Override
    public String bootstrapServers() {
        return nodes(nodeIds()).bootstrapServers();
    }

    /** Node {@code id}'s directory of {@code log.dirs}. */
    public Path logDir(int id) {
        return layouts.get(id - 1).logDir();
    }

    /** Cuts node {@code id} off from the other nodes; the test still reaches it. */
    public void isolate(int id) {
        network.isolate(id);
    }

    /** Reconnects node {@code id} to the others. */
    public void heal(int id) {
        network.heal(id);
    }

    @Override
    public void close() {
        try {
            // Together: a node stopping last would otherwise wait out its controlled shutdown without a quorum.
            nodes.parallelStream().forEach(node -> {
                try {
                    node.close();
                } catch (RuntimeException e) {
                    // Close the others regardless; the failure shows in that node's output file.
                }
            });
        } finally {
            network.close();
        }
    }
}
