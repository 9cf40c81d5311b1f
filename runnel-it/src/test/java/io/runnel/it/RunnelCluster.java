package io.runnel.it;

import io.runnel.testkit.FreePorts;
import io.runnel.broker.RunnelServer;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.StorageFormatter;
import io.runnel.broker.security.BootstrapScramCredentials;
import io.runnel.metadata.record.ScramCredentialRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * In-process Runnel nodes on free loopback ports with temporary log dirs. By default each node runs broker and
 * controller, so the nodes together form the controller quorum; {@link Builder#roles} gives each node its own
 * {@code process.roles}.
 */
public final class RunnelCluster implements KafkaEndpoint, AutoCloseable {
    private static final int START_ATTEMPTS = 5;


    private final List<String> roles;
    private final Map<String, String> overrides;
    /** The listeners every broker has beside PLAINTEXT: name → security protocol. */
    private final Map<String, String> extraListeners;
    /** Each broker's port on each extra listener: listener name → node id → port. */
    private Map<String, Map<Integer, Integer>> extraPorts = Map.of();
    private final String clusterId = Uuid.randomUuid().toString();
    private final Path baseDir = TestDirs.createTemp("runnel-it-");
    private List<NodeLayout> layouts = List.of();
    private final List<RunnelServer> servers = new ArrayList<>();

    /** The SCRAM users every node is formatted with. */
    private final List<ScramCredentialRecord> scramUsers;
    /** Properties of single nodes, by node id, over the others. */
    private final Map<Integer, Map<String, String>> nodeOverrides;
    /** How many log dirs each node has in {@code log.dirs}. */
    private final int logDirsPerNode;

    private RunnelCluster(List<String> roles, Map<String, String> overrides, Map<String, String> extraListeners,
                          List<String> scramUsers, Map<Integer, Map<String, String>> nodeOverrides,
                          int logDirsPerNode) {
        this.roles = List.copyOf(roles);
        this.logDirsPerNode = logDirsPerNode;
        this.overrides = Map.copyOf(overrides);
        this.nodeOverrides = Map.copyOf(nodeOverrides);
        this.extraListeners = Map.copyOf(extraListeners);
        this.scramUsers = scramUsers.stream().map(BootstrapScramCredentials::parse).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private List<String> roles = List.of(NodeLayout.COMBINED);
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private final Map<String, String> extraListeners = new LinkedHashMap<>();
        private final List<String> scramUsers = new ArrayList<>();
        private final Map<Integer, Map<String, String>> nodeProperties = new LinkedHashMap<>();
        private int logDirsPerNode = 1;

        /** A property of one node only (its {@code broker.rack}, say), over {@link #brokerProperty}. */
        public Builder nodeProperty(int nodeId, String key, String value) {
            nodeProperties.computeIfAbsent(nodeId, id -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** Each node keeps its partitions in this many log dirs (JBOD); the first also holds the metadata log. */
        public Builder logDirsPerNode(int dirs) {
            this.logDirsPerNode = dirs;
            return this;
        }

        public Builder nodes(int nodes) {
            this.roles = Collections.nCopies(nodes, NodeLayout.COMBINED);
            return this;
        }

        /** One node per entry, its {@code process.roles}, with node ids 1, 2, ... in that order. */
        public Builder roles(String... roles) {
            this.roles = List.of(roles);
            return this;
        }

        /**
         * A SCRAM user every node is formatted with, as {@code runnel storage format --add-scram} takes it
         * ({@code SCRAM-SHA-512=[name=admin,password=admin-secret]}).
         */
        public Builder scramUser(String addScram) {
            scramUsers.add(addScram);
            return this;
        }

        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        /**
         * Every broker also listens on a listener named SSL (security protocol SSL) beside PLAINTEXT; its
         * {@code ssl.*} settings are broker properties.
         */
        public Builder sslListener() {
            return listener("SSL", "SSL");
        }

        /**
         * Every broker also listens on a listener of this name and security protocol (SSL, SASL_PLAINTEXT,
         * SASL_SSL) beside PLAINTEXT; its settings are broker properties.
         */
        public Builder listener(String name, String securityProtocol) {
            extraListeners.put(name, securityProtocol);
            return this;
        }

        public RunnelCluster start() throws Exception {
            RunnelCluster cluster = new RunnelCluster(roles, brokerProperties, extraListeners, scramUsers,
                    nodeProperties, logDirsPerNode);
            try {
                cluster.startOnFreePorts();
            } catch (Exception | Error e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers("PLAINTEXT");
    }

    /** Every running broker's address on the named listener. */
    public String bootstrapServers(String listenerName) {
        return servers.stream().filter(s -> layout(s.nodeId()).broker())
                .map(s -> "127.0.0.1:" + s.boundPort(listenerName))
                .collect(Collectors.joining(","));
    }

    /** One node's broker listener only, as a client configured with a single bootstrap server sees it. */
    public KafkaEndpoint node(int nodeId) {
        RunnelServer server = servers.stream().filter(s -> s.nodeId() == nodeId).findFirst().orElseThrow();
        int port = server.boundPort("PLAINTEXT");
        return () -> "127.0.0.1:" + port;
    }

    /** Clean shutdown of one node (a controlled shutdown: its leaderships move first). */
    public void stop(int nodeId) {
        RunnelServer server = server(nodeId);
        server.close();
        servers.remove(server);
    }

    public String clusterId() {
        return clusterId;
    }

    public List<Integer> nodeIds() {
        return layouts.stream().map(NodeLayout::nodeId).toList();
    }

    /** Where a node keeps its partitions' segment files. */
    public Path logDir(int nodeId) {
        return layout(nodeId).logDir();
    }

    /** The port of a node's controller listener, where its metadata quorum member listens. */
    public int controllerPort(int nodeId) {
        return layout(nodeId).controllerPort();
    }

    /** A node's log dirs, as its {@code log.dirs} lists them: {@link #logDir} first, then its siblings. */
    public List<Path> logDirs(int nodeId) {
        Path first = logDir(nodeId);
        List<Path> dirs = new ArrayList<>(List.of(first));
        for (int i = 2; i <= logDirsPerNode; i++) {
            dirs.add(first.resolveSibling(first.getFileName() + "-dir" + i));
        }
        return dirs;
    }

    private NodeLayout layout(int nodeId) {
        return layouts.stream().filter(n -> n.nodeId() == nodeId).findFirst().orElseThrow();
    }

    /** The running node with this id. */
    public RunnelServer server(int nodeId) {
        return servers.stream().filter(s -> s.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Node " + nodeId + " is not running"));
    }

    /** Starts a node stopped by {@link #stop} again, on its ports and log dir. */
    public void start(int nodeId) throws Exception {
        NodeLayout node = layouts.stream().filter(n -> n.nodeId() == nodeId).findFirst().orElseThrow();
        RunnelServer server = new RunnelServer(config(node));
        server.startup();
        servers.add(server);
    }

    /** Clean shutdown of every node, then start-up on the same ports and log dirs. */
    public void restart() throws Exception {
        stopServers();
        // A port just released can be briefly unavailable; the layout must not change, so retry the same one.
        for (int attempt = 1; ; attempt++) {
            try {
                startServers();
                return;
            } catch (Exception e) {
                stopServers();
                if (!FreePorts.bindFailed(e) || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            stopServers();
        } finally {
            TestDirs.deleteRecursively(baseDir);
        }
    }

    private void startOnFreePorts() throws Exception {
        for (int attempt = 1; ; attempt++) {
            layouts = freshLayouts();
            for (NodeLayout node : layouts) {
                BrokerConfig config = config(node);
                StorageFormatter.format(config, clusterId, false);
                if (!scramUsers.isEmpty()) {
                    BootstrapScramCredentials.write(config.metadataLogDir(), scramUsers);
                }
            }
            try {
                startServers();
                return;
            } catch (Exception e) {
                stopServers();
                if (!FreePorts.bindFailed(e) || attempt == START_ATTEMPTS) {
                    throw e;
                }
                layouts.forEach(node -> logDirs(node.nodeId()).forEach(TestDirs::deleteRecursively));
            }
        }
    }

    private List<NodeLayout> freshLayouts() {
        List<NodeLayout> nodes = new ArrayList<>();
        for (int id = 1; id <= roles.size(); id++) {
            nodes.add(NodeLayout.withFreePorts(id, roles.get(id - 1), baseDir.resolve("node-" + id)));
        }
        extraPorts = extraListeners.keySet().stream().collect(Collectors.toMap(name -> name,
                name -> nodes.stream().filter(NodeLayout::broker)
                        .collect(Collectors.toMap(NodeLayout::nodeId, n -> FreePorts.pick()))));
        return nodes;
    }

    private BrokerConfig config(NodeLayout node) throws Exception {
        Map<String, String> props = node.brokerProperties(layouts, overrides);
        props.put("log.dirs", logDirs(node.nodeId()).stream().map(Path::toString).collect(Collectors.joining(",")));
        props.putAll(nodeOverrides.getOrDefault(node.nodeId(), Map.of()));
        extraListeners.forEach((name, protocol) -> {
            Integer port = extraPorts.get(name).get(node.nodeId());
            if (port != null) {
                String listener = name + "://127.0.0.1:" + port;
                props.put("listeners", props.get("listeners") + "," + listener);
                props.put("advertised.listeners", props.get("advertised.listeners") + "," + listener);
                props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ","
                        + name + ":" + protocol);
            }
        });
        return BrokerConfig.parse(props);
    }

    /** Nodes start concurrently: a node's start-up may wait for a quorum the others complete. */
    private void startServers() throws Exception {
        List<CompletableFuture<RunnelServer>> starts = new ArrayList<>();
        for (NodeLayout node : layouts) {
            RunnelServer server = new RunnelServer(config(node));
            servers.add(server);
            // A thread of its own per node: start-up blocks, and the common pool may have a single worker.
            starts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    server.startup();
                    return server;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, task -> new Thread(task, "runnel-it-start-node-" + node.nodeId()).start()));
        }
        // Let every start finish before judging any, so a failure never races a node still starting.
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        for (CompletableFuture<RunnelServer> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof Exception ex ? ex : new IllegalStateException(cause);
            }
        }
    }

    private void stopServers() {
        RuntimeException failure = null;
        for (RunnelServer server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("clean shutdown failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        servers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
