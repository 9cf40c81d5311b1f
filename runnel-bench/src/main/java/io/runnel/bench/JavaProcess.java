package io.runnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Starts JVMs (brokers, client tools) and makes sure none outlives the benchmark, even when it is interrupted. */
final class JavaProcess {
    /** The heap and G1 flags of Kafka's kafka-run-class.sh, given to both brokers alike. */
    static final List<String> BROKER_JVM = List.of("-Xmx1g", "-Xms1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true");
    /** Kafka's perf-test scripts give the client tools 512 MiB and the same G1 flags. */
    static final List<String> TOOL_JVM = List.of("-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true");

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private JavaProcess() {
    }

    /** Starts {@code mainClass}, its stdout and stderr appended to {@code log}. */
    static Process start(List<String> jvmOptions, String classpath, String mainClass, List<String> args, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        RUNNING.add(process);
        return process;
    }

    /** Runs {@code mainClass} to completion and returns its output lines; fails on timeout or a non-zero exit. */
    static List<String> run(List<String> jvmOptions, String classpath, String mainClass, List<String> args,
            Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("runnel-bench-tool", ".log");
        try {
            Process process = start(jvmOptions, classpath, mainClass, args, log);
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                stop(process, Duration.ZERO);
            }
            List<String> output = Files.readAllLines(log);
            if (!exited || process.exitValue() != 0) {
                throw new IOException(mainClass + (exited ? " exited with " + process.exitValue()
                        : " timed out after " + timeout.toSeconds() + " s") + ":\n" + tail(output));
            }
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Asks the process to shut down (SIGTERM), kills it once {@code grace} has passed. */
    static void stop(Process process, Duration grace) throws InterruptedException {
        stop(List.of(process), grace);
    }

    /** Asks every process to shut down (SIGTERM) at once, kills those still running once {@code grace} has passed. */
    static void stop(List<Process> processes, Duration grace) throws InterruptedException {
        processes.forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process process : processes) {
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            RUNNING.remove(process);
        }
    }

    static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
