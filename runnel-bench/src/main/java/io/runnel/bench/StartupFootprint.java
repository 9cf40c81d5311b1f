package io.runnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * How fast a broker first serves a client after its JVM starts, and how much memory it then holds idle:
 * <ul>
 * <li>the testkit's single broker in the JVM of a test ({@link TestkitStartup});</li>
 * <li>{@code bin/runnel server} of an unpacked distribution, on a fresh data directory with its embedded defaults
 *     (localhost:9092, registry, console, admin endpoint);</li>
 * <li>Apache Kafka 4.4 and Runnel started as the side-by-side benchmark starts them (same JVM flags, same
 *     server.properties, storage formatted beforehand).</li>
 * </ul>
 * Start time runs from the broker process's start (as /proc records it, to 10 ms) to the first answered ApiVersions
 * request; on a shared machine the CPU time the JVM used until then (all its threads) says more than that wall time.
 * Idle RSS is VmRSS once the broker has been idle for {@code --idle-seconds}.
 *
 * <pre>java -cp runnel-bench.jar:lib/* io.runnel.bench.StartupFootprint --dist DIR --kafka-classpath-file FILE
 *     [--runs 5] [--idle-seconds 10] [--work-dir DIR] [--measure testkit,dist,kafka,runnel]</pre>
 * {@code bin/runnel} takes RUNNEL_JVM_OPTS and RUNNEL_HEAP_OPTS from this JVM's environment.
 */
public final class StartupFootprint {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int DIST_PORT = 9092;

    private final Path dist;
    private final String kafkaClasspath;
    private final Path workDir;
    private final Duration idle;
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private final ProcStats stats;

    private StartupFootprint(Path dist, String kafkaClasspath, Path workDir, Duration idle)
            throws IOException, InterruptedException {
        this.stats = new ProcStats();
        this.dist = dist;
        this.kafkaClasspath = kafkaClasspath;
        this.workDir = workDir;
        this.idle = idle;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--dist") || !options.containsKey("--kafka-classpath-file")) {
            System.err.println("usage: StartupFootprint --dist DIR --kafka-classpath-file FILE [--runs N] "
                    + "[--idle-seconds S] [--work-dir DIR] [--measure testkit,dist,kafka,runnel]");
            System.exit(2);
        }
        Path workDir = Paths.get(options.getOrDefault("--work-dir", System.getProperty("java.io.tmpdir")));
        StartupFootprint probe = new StartupFootprint(Paths.get(options.get("--dist")).toAbsolutePath(),
                Files.readString(Paths.get(options.get("--kafka-classpath-file"))).trim(), workDir,
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("--idle-seconds", "10"))));
        int runs = Integer.parseInt(options.getOrDefault("--runs", "5"));
        System.out.println("load average at start " + ProcStats.loadAverage());
        List<String> measured = List.of(options.getOrDefault("--measure", "testkit,dist,kafka,runnel").split(","));
        for (int run = 1; run <= runs; run++) {
            if (measured.contains("testkit")) {
                probe.testkit();
            }
            if (measured.contains("dist")) {
                probe.distribution();
            }
            if (measured.contains("kafka")) {
                probe.benchBroker(BrokerKind.KAFKA, probe.kafkaClasspath);
            }
            if (measured.contains("runnel")) {
                probe.benchBroker(BrokerKind.RUNNEL, probe.dist.resolve("lib") + "/*");
            }
        }
        System.out.println("load average at end " + ProcStats.loadAverage());
        System.out.println("\nmedian [min-max] over " + runs + " runs");
        probe.figures.forEach((name, values) -> System.out.println(name + ": " + summary(values)));
    }

    private void testkit() throws IOException, InterruptedException {
        List<String> output = JavaProcess.run(List.of("-Xmx1g"), System.getProperty("java.class.path"),
                TestkitStartup.class.getName(), List.of(), START_TIMEOUT);
        for (String line : output) {
            String[] kv = line.split("=");
            if (kv.length == 2 && kv[0].endsWith("_ms")) {
                record("testkit in-process broker, " + kv[0].replace('_', ' '), Double.parseDouble(kv[1]));
            }
        }
    }

    private void distribution() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(workDir, "startup-dist-");
        try {
            Process server = new ProcessBuilder(dist.resolve("bin/runnel").toString(), "server").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
            measure("bin/runnel server (fresh data dir)", server, DIST_PORT);
        } finally {
            BrokerCluster.deleteRecursively(dir);
        }
    }

    private void benchBroker(BrokerKind kind, String classpath) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(workDir, "startup-" + kind.label.toLowerCase(Locale.ROOT) + "-");
        try {
            int[] ports = BrokerCluster.freePorts(2);
            Properties properties = BrokerCluster.serverProperties(1, ports[0], ports[1], "1@127.0.0.1:" + ports[1], 1,
                    Map.of());
            BrokerNode node = BrokerNode.start(kind, classpath, 1, dir.resolve("node-1"), Uuid.randomUuid(), properties);
            measure(kind.label + " as runnel-bench starts it", node.process(), ports[0]);
        } finally {
            BrokerCluster.deleteRecursively(dir);
        }
    }

    private void measure(String name, Process broker, int port) throws IOException, InterruptedException {
        try {
            Instant answered = ApiVersionsProbe.firstAnswer("127.0.0.1", port, START_TIMEOUT, broker);
            double cpuSeconds = stats.cpuSeconds(broker.pid());
            Instant started = broker.info().startInstant().orElseThrow();
            record(name + ", first answer ms", Duration.between(started, answered).toMillis());
            record(name + ", CPU ms until the first answer", cpuSeconds * 1000);
            // The idle figure is what the broker holds after this much time without a client.
            Thread.sleep(idle.toMillis());
            record(name + ", idle RSS MiB", ProcStats.rssMib(broker.pid()));
        } finally {
            JavaProcess.stop(broker, STOP_GRACE);
        }
    }

    private void record(String name, double value) {
        System.out.println(name + " = " + String.format(Locale.ROOT, "%.0f", value));
        figures.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }

    private static String summary(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(Locale.ROOT, "%.0f [%.0f-%.0f]", median, sorted[0], sorted[sorted.length - 1]);
    }
}
