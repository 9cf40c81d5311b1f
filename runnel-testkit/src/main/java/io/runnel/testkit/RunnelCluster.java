package io.runnel.testkit;

import io.runnel.broker.RunnelServer;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.StorageFormatter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * Runnel in this JVM for tests: 1 to 3 nodes, each broker and controller, on loopback ports with their data in a
 * temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (RunnelCluster cluster = RunnelCluster.start(1)) {
 *     cluster.createTopic("orders", 3);
 *     producerProps.put("bootstrap.servers", cluster.bootstrapServers());
 * }
 * }</pre>
 */
public final class RunnelCluster implements AutoCloseable {
    static final int MAX_BROKERS = 3;
    private static final int START_ATTEMPTS = 5;
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private final int brokers;
    private final Map<String, String> brokerProperties;
    private final String clusterId = Uuid.randomUuid().toString();
    private final Path baseDir = TempDirs.create("runnel-testkit-");
    private final List<RunnelServer> servers = new ArrayList<>();
    private Admin admin;
    private TestSchemaRegistry registry;

    private RunnelCluster(int brokers, Map<String, String> brokerProperties) {
        this.brokers = brokers;
        this.brokerProperties = Map.copyOf(brokerProperties);
    }

    /** A running cluster of this many nodes (1 to 3), each broker and controller. */
    public static RunnelCluster start(int brokers) {
        return builder().brokers(brokers).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the clusters it starts look like; one builder can start any number of them. */
    public static final class Builder {
        private int brokers = 1;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder brokers(int brokers) {
            if (brokers < 1 || brokers > MAX_BROKERS) {
                throw new IllegalArgumentException("brokers must be 1 to " + MAX_BROKERS + ", not " + brokers);
            }
            this.brokers = brokers;
            return this;
        }

        /** A server.properties entry of every node ({@code log.retention.ms}, {@code auto.create.topics.enable}). */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        public RunnelCluster start() {
            RunnelCluster cluster = new RunnelCluster(brokers, brokerProperties);
            try {
                cluster.startOnFreePorts();
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }

    /** Every broker's address, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return servers.stream().map(s -> "127.0.0.1:" + s.boundPort("PLAINTEXT")).collect(Collectors.joining(","));
    }

    /** A topic with the brokers' default replication factor, once every partition has a leader. */
    public void createTopic(String name, int partitions) {
        createTopic(new NewTopic(name, Optional.of(partitions), Optional.empty()));
    }

    /** A topic with this replication factor (at most the number of brokers), once every partition has a leader. */
    public void createTopic(String name, int partitions, int replicationFactor) {
        createTopic(new NewTopic(name, partitions, (short) replicationFactor));
    }

    private void createTopic(NewTopic topic) {
        try {
            admin().createTopics(List.of(topic)).all().get();
            TopicReadiness.await(admin(), topic.name(), TOPIC_READY_TIMEOUT);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Topic " + topic.name() + " was not created", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic.name(), e);
        }
    }

    /** An Admin client of this cluster, made on first use and closed with the cluster: do not close it. */
    public synchronized Admin admin() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            admin = Admin.create(props);
        }
        return admin;
    }

    /**
     * The URL of a schema registry serving this cluster (Confluent's REST API, {@code _schemas} topic), started on
     * first use. Needs {@code io.runnel:runnel-registry} on the test class path.
     */
    public synchronized String schemaRegistryUrl() {
        if (registry == null) {
            registry = TestSchemaRegistry.start(bootstrapServers());
        }
        return registry.url();
    }

    public String clusterId() {
        return clusterId;
    }

    /** Where the nodes keep their data until {@link #close()}. */
    Path dataDir() {
        return baseDir;
    }

    /** Stops every node, then deletes the cluster's data. */
    @Override
    public synchronized void close() {
        try {
            if (registry != null) {
                registry.close();
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
            stopServers();
        } finally {
            TempDirs.deleteRecursively(baseDir);
        }
    }

    private void startOnFreePorts() {
        for (int attempt = 1; ; attempt++) {
            List<NodeLayout> layouts = new ArrayList<>();
            for (int id = 1; id <= brokers; id++) {
                layouts.add(new NodeLayout(id, FreePorts.pick(), baseDir.resolve("attempt-" + attempt + "/node-" + id)));
            }
            try {
                startServers(layouts);
                return;
            } catch (RuntimeException e) {
                stopServers();
                if (!FreePorts.bindFailed(e) || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Nodes start side by side: each start-up waits for a quorum the others complete. */
    private void startServers(List<NodeLayout> layouts) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (NodeLayout node : layouts) {
            BrokerConfig config = BrokerConfig.parse(node.properties(layouts, brokerProperties));
            StorageFormatter.format(config, clusterId, false);
            RunnelServer server = new RunnelServer(config);
            servers.add(server);
            starts.add(CompletableFuture.runAsync(() -> {
                try {
                    server.startup();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, task -> new Thread(task, "runnel-testkit-start-node-" + node.nodeId()).start()));
        }
        // Every start finishes before any is judged, so that no failure is reported while a node still starts.
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        for (CompletableFuture<Void> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException r ? r : new IllegalStateException("Runnel did not start", cause);
            }
        }
    }

    /**
     * Every broker first completes its controlled shutdown, all side by side, while the quorum still has its
     * majority to answer them; then the nodes stop. Stopped one after another, the last ones would wait out their
     * controlled shutdown (10 s) on a quorum that has lost its majority.
     */
    private void stopServers() {
        List<RunnelServer> stopping = List.copyOf(servers);
        servers.clear();
        RuntimeException failure = null;
        for (Consumer<RunnelServer> step : List.<Consumer<RunnelServer>>of(RunnelServer::controlledShutdown,
                RunnelServer::close)) {
            List<CompletableFuture<Void>> steps = stopping.stream().map(server -> CompletableFuture.runAsync(
                    () -> step.accept(server),
                    task -> new Thread(task, "runnel-testkit-stop-node-" + server.nodeId()).start())).toList();
            for (CompletableFuture<Void> done : steps) {
                try {
                    done.join();
                } catch (CompletionException e) {
                    if (failure == null) {
                        failure = new IllegalStateException("Clean shutdown failed", e.getCause());
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
