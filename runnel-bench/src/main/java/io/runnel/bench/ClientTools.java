package io.runnel.bench;

import java.time.Duration;
import java.util.List;

/** Runs client tools, each in its own JVM, against a broker while measuring the CPU time of its nodes. */
final class ClientTools {
    private final String kafkaClasspath;
    private final String benchClasspath;
    private final ProcStats stats;
    final boolean groupsSupported;

    ClientTools(String kafkaClasspath, String benchClasspath, ProcStats stats, boolean groupsSupported) {
        this.kafkaClasspath = kafkaClasspath;
        this.benchClasspath = benchClasspath;
        this.stats = stats;
        this.groupsSupported = groupsSupported;
    }

    /** Runs one of Apache Kafka's tools ({@code org.apache.kafka.tools.*}). */
    ToolRun runKafkaTool(BrokerCluster broker, String mainClass, List<String> args, Duration timeout)
            throws Exception {
        return run(broker, kafkaClasspath, mainClass, args, timeout);
    }

    /** Runs one of this module's tools. */
    ToolRun runBenchTool(BrokerCluster broker, Class<?> mainClass, List<String> args, Duration timeout)
            throws Exception {
        return run(broker, benchClasspath, mainClass.getName(), args, timeout);
    }

    /**
     * The broker's user + system CPU seconds so far, summed over its nodes, for workloads that measure between
     * their own steps.
     */
    double brokerCpuSeconds(BrokerCluster broker) throws Exception {
        double seconds = 0;
        for (long pid : broker.pids()) {
            seconds += stats.cpuSeconds(pid);
        }
        return seconds;
    }

    private ToolRun run(BrokerCluster broker, String classpath, String mainClass, List<String> args,
            Duration timeout) throws Exception {
        double cpuBefore = brokerCpuSeconds(broker);
        List<String> output = JavaProcess.run(JavaProcess.TOOL_JVM, classpath, mainClass, args, timeout);
        double cpuAfter = brokerCpuSeconds(broker);
        return new ToolRun(output, cpuAfter - cpuBefore, ProcStats.loadAverage());
    }
}
