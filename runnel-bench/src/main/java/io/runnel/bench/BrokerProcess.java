package io.runnel.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * One single-node broker (KRaft mode, broker and controller roles) started fresh in its own JVM, on free ports,
 * with its data in a temporary directory that {@link #close()} removes.
 */
final class BrokerProcess implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    private static final long POLL_BACKOFF_MS = 50;
    private static final String DATA_DIR = "data";

    final BrokerKind kind;
    private final Path dir;
    private final Process process;
    private final String bootstrap;
    private final Admin admin;

    private BrokerProcess(BrokerKind kind, Path dir, Process process, String bootstrap) {
        this.kind = kind;
        this.dir = dir;
        this.process = process;
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "runnel-bench-admin"));
    }

    /**
     * Starts the broker and returns once it answers the Admin API; {@code config} adds to or overrides the stock
     * server properties, for both brokers alike.
     */
    static BrokerProcess start(BrokerKind kind, String classpath, Path workDir, Map<String, String> config)
            throws Exception {
        Path dir = Files.createTempDirectory(workDir, "runnel-bench-" + kind.label.toLowerCase() + "-");
        BrokerProcess broker = null;
        try {
            int[] ports = freePorts();
            Path properties = dir.resolve("server.properties");
            writeServerProperties(properties, ports[0], ports[1], dir.resolve(DATA_DIR), config);
            if (kind == BrokerKind.KAFKA) {
                JavaProcess.run(List.of(), classpath, "kafka.tools.StorageTool",
                        List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()),
                        Duration.ofSeconds(60));
            }
            // Runnel's CLI formats a single-voter node's storage itself
            List<String> args = kind == BrokerKind.KAFKA ? List.of(properties.toString())
                    : List.of("server", properties.toString());
            Process process = JavaProcess.start(JavaProcess.BROKER_JVM, classpath, kind.mainClass, args,
                    dir.resolve("broker.log"));
            broker = new BrokerProcess(kind, dir, process, "127.0.0.1:" + ports[0]);
            broker.awaitReady();
            return broker;
        } catch (Exception e) {
            if (broker != null) {
                String log = JavaProcess.tail(Files.readAllLines(dir.resolve("broker.log")));
                broker.close();
                throw new IOException(kind.label + " did not start: " + e + "\n" + log, e);
            }
            deleteRecursively(dir);
            throw e;
        }
    }

    String bootstrap() {
        return bootstrap;
    }

    long pid() {
        return process.pid();
    }

    /** The directory of a partition's log files: {@code <topic>-<partition>} under log.dirs on both brokers. */
    Path partitionDir(String topic, int partition) {
        return dir.resolve(DATA_DIR).resolve(topic + "-" + partition);
    }

    /** Creates a topic with replication factor 1 and waits until every partition has a leader. */
    void createTopic(String name, int partitions) throws Exception {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with replication factor 1 and these topic configs, and waits for its leaders. */
    void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                .get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!allLed(name, partitions)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + name + " have no leader after 60 s");
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

    private boolean allLed(String topic, int partitions) throws InterruptedException, TimeoutException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            List<TopicPartitionInfo> infos = description.partitions();
            return infos.size() == partitions && infos.stream().allMatch(p -> p.leader() != null);
        } catch (ExecutionException e) {
            return false; // metadata not propagated yet
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("exited with " + process.exitValue());
            }
            try {
                if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000)).nodes()
                        .get(10, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
            Thread.sleep(POLL_BACKOFF_MS);
        }
        throw new TimeoutException("no answer after " + STARTUP_TIMEOUT.toSeconds() + " s: " + last);
    }

    @Override
    public void close() throws IOException {
        admin.close(Duration.ofSeconds(5));
        try {
            JavaProcess.stop(process, SHUTDOWN_GRACE);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dir);
    }

    /** A stock single-node KRaft configuration, in Kafka's property names which Runnel reads too. */
    private static void writeServerProperties(Path file, int brokerPort, int controllerPort, Path logDir,
            Map<String, String> config) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.putAll(config);
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "runnel-bench single-node broker");
        }
    }

    private static int[] freePorts() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket broker = new ServerSocket(0, 1, loopback);
                ServerSocket controller = new ServerSocket(0, 1, loopback)) {
            return new int[] {broker.getLocalPort(), controller.getLocalPort()};
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
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
