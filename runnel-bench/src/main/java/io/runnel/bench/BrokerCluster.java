package io.runnel.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The brokers a workload runs against, all of one kind: one node, or several forming one cluster. Every node is its
 * own JVM in KRaft mode with the broker and controller roles (so every node is a voter), on free 127.0.0.1 ports,
 * formatted with one cluster id and started fresh; their data are in a temporary directory that {@link #close()}
 * removes. Topics get one replica per node.
 */
final class BrokerCluster implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    private static final long POLL_BACKOFF_MS = 50;
    /** Kafka's default transaction.state.log.min.isr. */
    private static final int TRANSACTION_LOG_MIN_ISR = 2;

    final BrokerKind kind;
    private final Path dir;
    private final List<BrokerNode> nodes = new ArrayList<>();
    private final String bootstrap;
    /** The SECURE listeners' addresses and the clients' configuration file when secured; else null. */
    private final String secureBootstrap;
    private final Path clientConfig;
    private final Admin admin;

    private BrokerCluster(BrokerKind kind, Path dir, String bootstrap, String secureBootstrap, Path clientConfig) {
        this.kind = kind;
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.secureBootstrap = secureBootstrap;
        this.clientConfig = clientConfig;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "runnel-bench-admin"));
    }

    /** Starts a single broker; see {@link #start(BrokerKind, String, Path, Map, int, ClientSecurity)}. */
    static BrokerCluster start(BrokerKind kind, String classpath, Path workDir, Map<String, String> config)
            throws Exception {
        return start(kind, classpath, workDir, config, 1, null);
    }

    /**
     * Starts {@code nodeCount} nodes and returns once the Admin API lists every one of them; {@code config} adds to
     * or overrides the stock server properties, for both brokers alike. With {@code security}, each node also has
     * the SECURE listener the measured clients use.
     */
    static BrokerCluster start(BrokerKind kind, String classpath, Path workDir, Map<String, String> config,
            int nodeCount, ClientSecurity security) throws Exception {
        // per node: its broker port, its controller port, and the SECURE listener's port when secured
        int stride = security == null ? 2 : 3;
        int[] ports = freePorts(stride * nodeCount);
        Path dir = Files.createTempDirectory(workDir, "runnel-bench-" + kind.label.toLowerCase(Locale.ROOT) + "-");
        StringJoiner voters = new StringJoiner(",");
        StringJoiner bootstrap = new StringJoiner(",");
        StringJoiner secureBootstrap = new StringJoiner(",");
        for (int i = 0; i < nodeCount; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + ports[stride * i + 1]);
            bootstrap.add("127.0.0.1:" + ports[stride * i]);
            if (security != null) {
                secureBootstrap.add("127.0.0.1:" + ports[stride * i + 2]);
            }
        }
        Path clientConfig = null;
        if (security != null) {
            clientConfig = dir.resolve("client.properties");
            security.writeClientConfig(clientConfig);
        }
        BrokerCluster cluster = new BrokerCluster(kind, dir, bootstrap.toString(),
                security == null ? null : secureBootstrap.toString(), clientConfig);
        try {
            Uuid clusterId = Uuid.randomUuid();
            for (int i = 0; i < nodeCount; i++) {
                int id = i + 1;
                Properties properties = serverProperties(id, ports[stride * i], ports[stride * i + 1],
                        voters.toString(), nodeCount, config);
                if (security != null) {
                    addSecureListener(properties, ports[stride * i + 2], security);
                }
                cluster.nodes.add(BrokerNode.start(kind, classpath, id, dir.resolve("node-" + id), clusterId,
                        properties));
            }
            cluster.awaitReady();
            return cluster;
        } catch (Exception e) {
            StringJoiner logs = new StringJoiner("\n");
            for (BrokerNode node : cluster.nodes) {
                logs.add(node.logTail());
            }
            cluster.close();
            throw new IOException(kind.label + " did not start: " + e + "\n" + logs, e);
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    /** Where the measured clients connect: the SECURE listeners when secured, else {@link #bootstrap()}. */
    String clientBootstrap() {
        return secureBootstrap != null ? secureBootstrap : bootstrap;
    }

    /** The clients' configuration file when secured, else null. */
    Path clientConfig() {
        return clientConfig;
    }

    /** The tools' arguments naming {@link #clientConfig()}: none when not secured. */
    List<String> clientConfigArgs() {
        return clientConfig == null ? List.of() : List.of("--command-config", clientConfig.toString());
    }

    /** The process ids of the nodes, whose CPU time is the broker's. */
    List<Long> pids() {
        return nodes.stream().map(BrokerNode::pid).toList();
    }

    /** The node of a one-node cluster, for workloads that look inside the broker (its files, its heap). */
    BrokerNode onlyNode() {
        if (nodes.size() != 1) {
            throw new IllegalStateException("a single-broker workload on " + nodes.size() + " nodes");
        }
        return nodes.get(0);
    }

    /** Creates a topic with one replica per node and waits until every partition has a leader and a full ISR. */
    void createTopic(String name, int partitions) throws Exception {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with one replica per node and these topic configs, and waits for its leaders and ISRs. */
    void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) nodes.size()).configs(configs))).all()
                .get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!allLedInSync(name, partitions)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + name + " lack a leader or an in-sync replica after 60 s");
            }
            Thread.sleep(POLL_BACKOFF_MS);
        }
    }

    /** Sets one topic config with IncrementalAlterConfigs (a dynamic change, applied without restart). */
    void setTopicConfig(String topic, String key, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all()
                .get(60, TimeUnit.SECONDS);
    }

    private boolean allLedInSync(String topic, int partitions) throws InterruptedException, TimeoutException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            List<TopicPartitionInfo> infos = description.partitions();
            return infos.size() == partitions
                    && infos.stream().allMatch(p -> p.leader() != null && p.isr().size() == nodes.size());
        } catch (ExecutionException e) {
            return false; // metadata not propagated yet
        }
    }

    /** Waits until the Admin API lists every node: registered and unfenced, in Kafka as in Runnel. */
    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (BrokerNode node : nodes) {
                if (!node.process().isAlive()) {
                    throw new IOException("node " + node.id + " exited with " + node.process().exitValue());
                }
            }
            try {
                int listed = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                        .get(10, TimeUnit.SECONDS).size();
                if (listed == nodes.size()) {
                    return;
                }
                last = new IOException(listed + " of " + nodes.size() + " nodes listed");
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
            Thread.sleep(POLL_BACKOFF_MS);
        }
        throw new TimeoutException("not ready after " + STARTUP_TIMEOUT.toSeconds() + " s: " + last);
    }

    @Override
    public void close() throws IOException {
        admin.close(Duration.ofSeconds(5));
        try {
            JavaProcess.stop(nodes.stream().map(BrokerNode::process).toList(), SHUTDOWN_GRACE);
        } catch (InterruptedException e) {
            nodes.forEach(node -> node.process().destroyForcibly());
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dir);
    }

    /** A stock KRaft configuration of a combined node, in Kafka's property names which Runnel reads too. */
    static Properties serverProperties(int id, int brokerPort, int controllerPort, String voters,
            int nodeCount, Map<String, String> config) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(id));
        p.setProperty("controller.quorum.voters", voters);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("num.partitions", "1");
        // the internal topics, like every topic here, have one replica per node
        p.setProperty("offsets.topic.replication.factor", Integer.toString(nodeCount));
        p.setProperty("transaction.state.log.replication.factor", Integer.toString(nodeCount));
        p.setProperty("transaction.state.log.min.isr", Integer.toString(Math.min(TRANSACTION_LOG_MIN_ISR, nodeCount)));
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.putAll(config);
        return p;
    }

    /** The SECURE listener next to PLAINTEXT and CONTROLLER, advertised to the clients, with its TLS and SASL. */
    private static void addSecureListener(Properties p, int port, ClientSecurity security) {
        String listener = ClientSecurity.LISTENER;
        p.setProperty("listeners", p.getProperty("listeners") + "," + listener + "://127.0.0.1:" + port);
        p.setProperty("advertised.listeners", p.getProperty("advertised.listeners") + "," + listener
                + "://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ","
                + listener + ":" + security.protocol());
        p.putAll(security.serverConfig());
    }

    /** Distinct free ports: every socket is held open until all are chosen. */
    static int[] freePorts(int count) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, loopback);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
