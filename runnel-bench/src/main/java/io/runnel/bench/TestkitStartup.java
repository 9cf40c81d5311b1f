package io.runnel.bench;

import io.runnel.testkit.RunnelCluster;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;

/**
 * Run in a JVM of its own by {@link StartupFootprint}: starts the testkit's single broker in this JVM and prints, in
 * milliseconds since this JVM started, when {@code RunnelCluster.start(1)} returned and when the broker first
 * answered an ApiVersions request, and the CPU time this JVM had used by then.
 */
public final class TestkitStartup {
    private TestkitStartup() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        try (RunnelCluster cluster = RunnelCluster.start(1)) {
            long started = System.currentTimeMillis();
            String[] address = cluster.bootstrapServers().split(":");
            Instant answered = ApiVersionsProbe.firstAnswer(address[0], Integer.parseInt(address[1]),
                    Duration.ofSeconds(60), null);
            long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            System.out.println("start_returned_ms=" + (started - jvmStart));
            System.out.println("first_answer_ms=" + (answered.toEpochMilli() - jvmStart));
            System.out.println("cpu_until_first_answer_ms=" + cpuNanos / 1_000_000);
        }
    }
}
