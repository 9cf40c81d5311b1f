package io.runnel.it;

import io.runnel.testkit.FreePorts;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Runnel node in its own JVM, started with {@code Runnel server <file>} from the test classpath, so a
 * test can SIGKILL it. Its output goes to a file under target/; start-up is complete at "Runnel started".
 */
public final class RunnelProcess implements KafkaEndpoint, AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    // A clean stop flushes every log; on a machine busy writing elsewhere, ext4 can hold those fsyncs for long.
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final int START_ATTEMPTS = 5;

    private final Path baseDir = TestDirs.createTemp("runnel-process-");
    private final Path propertiesFile = baseDir.resolve("server.properties");
    private final Path outputFile;
    private final Path logFile;
    private final Map<String, String> overrides;
    private final List<String> commandPrefix;
    private NodeLayout layout;
    private Process process;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean portTaken = new AtomicBoolean();

    private RunnelProcess(Map<String, String> overrides) {
        this(overrides, List.of());
    }

    private RunnelProcess(Map<String, String> overrides, List<String> commandPrefix) {
        int instance = INSTANCES.incrementAndGet();
        String name = "runnel-process-" + TestDirs.forkId() + "-" + instance;
        this.outputFile = TestDirs.buildDir().resolve(name + ".out");
        this.logFile = TestDirs.buildDir().resolve(name + ".log");
        this.overrides = Map.copyOf(overrides);
        this.commandPrefix = List.copyOf(commandPrefix);
    }

    /** Starts a node on free ports; the node formats its own single-voter storage. */
    public static RunnelProcess start(Map<String, String> brokerProperties) throws IOException {
        RunnelProcess node = new RunnelProcess(brokerProperties);
        try {
            for (int attempt = 1; ; attempt++) {
                node.layout = NodeLayout.withFreePorts(1, node.baseDir.resolve("data"));
                node.writeProperties();
                if (node.launch() || attempt == START_ATTEMPTS) {
                    break;
                }
                TestDirs.deleteRecursively(node.layout.logDir());
            }
            node.requireStarted();
            return node;
        } catch (IOException | RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    /** Starts the node again on the same ports and data, e.g. after {@link #kill9()}. */
    public void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        for (int attempt = 1; attempt <= START_ATTEMPTS && !launch(); attempt++) {
            // the port was not free yet: the layout must not change, so try the same one again
        }
        requireStarted();
    }

    /** SIGTERM, as an operator stops a broker: a controlled shutdown, then exit; the data stays for {@link #start()}. */
    public void terminate() {
        process.destroy();
        waitForExit();
    }

    /** SIGKILL: no shutdown hook, no flush, no clean-shutdown marker. */
    public void kill9() {
        process.destroyForcibly();
        waitForExit();
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + layout.brokerPort();
    }

    @Override
    public void close() {
        try {
            if (process != null && process.isAlive()) {
                process.destroy();
                waitForExit();
            }
        } finally {
            TestDirs.deleteRecursively(baseDir);
        }
    }

    private void waitForExit() {
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Runnel process did not exit", e);
        }
    }

    /** A node of a multi-node cluster: {@code layoutOf} places it under its own directory. */
    static RunnelProcess node(Map<String, String> overrides) {
        return new RunnelProcess(overrides);
    }

    /**
     * The same, its JVM started through {@code commandPrefix}, such as {@code ip netns exec <namespace>}, which
     * must exec the JVM in its own process so that signals reach it.
     */
    static RunnelProcess node(Map<String, String> overrides, List<String> commandPrefix) {
        return new RunnelProcess(overrides, commandPrefix);
    }

    Path baseDir() {
        return baseDir;
    }

    /** The node's log.dirs: one directory per partition replica, as Kafka lays them out. */
    public Path logDir() {
        return layout.logDir();
    }

    /** Writes this node's properties file as an operator would, for {@code cluster}, and returns its entries. */
    Map<String, String> configure(NodeLayout layout, List<NodeLayout> cluster) throws IOException {
        this.layout = layout;
        Map<String, String> props = layout.brokerProperties(cluster, overrides);
        Properties file = new Properties();
        file.putAll(props);
        try (Writer out = Files.newBufferedWriter(propertiesFile)) {
            file.store(out, "Runnel integration test node " + layout.nodeId());
        }
        return props;
    }

    public int nodeId() {
        return layout.nodeId();
    }

    /** The running JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** The node's server.properties, as {@code runnel server} reads it. */
    public Path propertiesFile() {
        return propertiesFile;
    }

    /** Plays the broker role: serves clients on {@link #bootstrapServers()}. */
    boolean broker() {
        return layout.broker();
    }

    /** SIGSTOP: the process stays, silent, holding its ports, until {@link #resume()}. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    private void writeProperties() throws IOException {
        Properties props = new Properties();
        props.putAll(layout.brokerProperties(List.of(layout), overrides));
        try (Writer out = Files.newBufferedWriter(propertiesFile)) {
            props.store(out, "Runnel integration test node");
        }
    }

    /** Returns false when the process died because its ports were taken, so the caller may retry. */
    private boolean launch() throws IOException {
        spawn();
        return awaitLaunch();
    }

    /** Starts the JVM without waiting: cluster nodes wait for each other to form the quorum. */
    void spawn() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(commandPrefix);
        // C1 only: several JVMs share two cores, and a restarted node's C2 compilations, on top of the others', made
        // its start-up three times as long; these tests measure behaviour, not speed (runnel-bench does).
        command.addAll(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Drunnel.log.file=" + logFile,
                "-cp", System.getProperty("java.class.path"),
                "io.runnel.tools.Runnel", "server", propertiesFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        started.set(false);
        portTaken.set(false);
        process = builder.start();
        Thread pump = new Thread(this::copyOutput, "runnel-process-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Printed "Runnel started". */
    public boolean started() {
        return started.get();
    }

    /** Was started and has exited. */
    public boolean exited() {
        return process != null && !process.isAlive();
    }

    /** What the process printed so far. */
    String output() throws IOException {
        return Files.readString(outputFile, StandardCharsets.UTF_8);
    }

    /** Exited because one of its ports was taken. */
    boolean diedOfTakenPort() {
        return !process.isAlive() && portTaken.get();
    }

    /** Waits for "Runnel started"; false when the process died because its ports were taken. */
    boolean awaitLaunch() {
        Await.awaitCondition(START_TIMEOUT, () -> started.get() || !process.isAlive(),
                "Runnel process prints 'Runnel started' (output in " + outputFile + ")");
        if (started.get()) {
            return true;
        }
        waitForExit();
        return !portTaken.get();
    }

    void requireStarted() {
        if (process == null || !process.isAlive()) {
            fail("Runnel process did not start; output in " + outputFile);
        }
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(outputFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (line.startsWith("Runnel started")) {
                    started.set(true);
                }
                if (line.contains("BindException") || line.contains(FreePorts.IN_USE_MESSAGE)) {
                    portTaken.set(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
