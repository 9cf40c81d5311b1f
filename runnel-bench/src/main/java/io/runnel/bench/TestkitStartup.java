package io.runnel.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.runnel.testkit.RunnelCluster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run in a JVM of its own by {@link StartupFootprint}: starts the testkit's single broker in this JVM and prints, in
 * milliseconds since this JVM started, when {@code RunnelCluster.start(1)} returned and when the broker first
 * answered an ApiVersions request, the CPU time this JVM had used by then, and that time by thread; then how long
 * the next cluster of the same JVM takes from its start to its first answer.
 */
public final class TestkitStartup {
    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    private TestkitStartup() {
    }

    /**
     * CPU time so far of this JVM's threads (/proc/self/task), summed by name with the numbers taken out (the JIT's
     * "C2 CompilerThread#", Ratis' "n#-impl-thread#"...): where the start-up spent its CPU.
     */
    private static Map<String, Long> cpuByThreadGroup() throws IOException {
        Map<String, Long> byGroup = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    // Linux counts 100 ticks a second.
                    byGroup.merge(NUMBERS.matcher(name).replaceAll("#"), ticks * 10, Long::sum);
                } catch (NoSuchFileException ended) {
                    // a thread that ended meanwhile
                }
            }
        }
        return byGroup;
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        // As a test's logging configuration would have it: without one, logback prints every DEBUG line.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
        try (RunnelCluster cluster = RunnelCluster.start(1)) {
            long started = System.currentTimeMillis();
            long answered = firstAnswer(cluster);
            long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            System.out.println("start_returned_ms=" + (started - jvmStart));
            System.out.println("first_answer_ms=" + (answered - jvmStart));
            System.out.println("cpu_until_first_answer_ms=" + cpuNanos / 1_000_000);
            cpuByThreadGroup().forEach((group, ms) -> System.out.println("thread cpu ms, " + group + ": " + ms));
        }
        // The next cluster of the same JVM, as the next test class or a perTest() extension starts it.
        long again = System.currentTimeMillis();
        try (RunnelCluster cluster = RunnelCluster.start(1)) {
            System.out.println("next_cluster_first_answer_ms=" + (firstAnswer(cluster) - again));
        }
    }

    private static long firstAnswer(RunnelCluster cluster) throws Exception {
        String[] address = cluster.bootstrapServers().split(":");
        return ApiVersionsProbe.firstAnswer(address[0], Integer.parseInt(address[1]), Duration.ofSeconds(60), null)
                .toEpochMilli();
    }
}
