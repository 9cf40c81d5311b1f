package io.runnel.bench;

import java.time.Duration;
import java.util.List;

/** Runs client tools, each in its own JVM, against a broker while measuring the broker's CPU time. */
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
    ToolRun runKafkaTool(BrokerProcess broker, String mainClass, List<String> args, Duration timeout)
            throws Exception {
        return run(broker, kafkaClasspath, mainClass, args, timeout);
    }

    /** Runs one of this module's tools. */
    ToolRun runBenchTool(BrokerProcess broker, Class<?> mainClass, List<String> args, Duration timeout)
            throws Exception {
        return run(broker, benchClasspath, mainClass.getName(), args, timeout);
    }

    /** The broker's user + system CPU seconds so far, for workloads that measure between their own steps. */
    double brokerCpuSeconds(BrokerProcess broker) throws Exception {
        return stats.cpuSeconds(broker.pid());
    }

    private ToolRun run(BrokerProcess broker, String classpath, String mainClass, List<String> args,
            Duration timeout) throws Exception {
        double cpuBefore = stats.cpuSeconds(broker.pid());
        List<String> output = JavaProcess.run(JavaProcess.TOOL_JVM, classpath, mainClass, args, timeout);
        double cpuAfter = stats.cpuSeconds(broker.pid());
        return new ToolRun(output, cpuAfter - cpuBefore, ProcStats.loadAverage());
    }
}
