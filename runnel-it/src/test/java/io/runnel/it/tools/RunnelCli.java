package io.runnel.it.tools;

import io.runnel.it.Await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@code io.runnel.tools.Runnel <tool> ...} in its own JVM from the test class path, as bin/runnel would,
 * with stdin, stdout and stderr in files under a work directory.
 */
final class RunnelCli {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Path workDir;
    private final List<String> jvmOptions;

    RunnelCli(Path workDir) {
        this(workDir, List.of());
    }

    /** @param jvmOptions what bin/runnel would pass from RUNNEL_JVM_OPTS */
    RunnelCli(Path workDir, List<String> jvmOptions) {
        this.workDir = workDir;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** A finished tool run. */
    record Result(int exitCode, String out, String err) {
    }

    /** A running tool, e.g. the server. */
    final class Running {
        final Process process;
        final Path out;
        final Path err;
        /** The tool's arguments, to run it again. */
        final List<String> args;

        private Running(Process process, Path out, Path err, List<String> args) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.args = args;
        }

        String out() {
            return read(out);
        }

        String err() {
            return read(err);
        }

        /** Waits for the process to exit after SIGTERM. */
        int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("Process did not exit within " + TOOL_TIMEOUT + " of SIGTERM; stderr:\n" + err());
            }
            return process.exitValue();
        }
    }

    Running start(String stdin, String... args) throws IOException {
        int run = RUNS.incrementAndGet();
        Path in = workDir.resolve("run-" + run + ".in");
        Path out = workDir.resolve("run-" + run + ".out");
        Path err = workDir.resolve("run-" + run + ".err");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Drunnel.log.file=" + workDir.resolve("run-" + run + ".log")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.runnel.tools.Runnel"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new Running(process, out, err, List.of(args));
    }

    /**
     * Starts {@code runnel server} on a one-node server.properties written in the work directory (broker and
     * controller on the given ports, data in {@code data}, {@code extra} lines added) and waits until it serves.
     */
    Running startServer(int brokerPort, int controllerPort, Duration timeout, String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "node.id=1",
                "process.roles=broker,controller",
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "log.dirs=" + workDir.resolve("data"),
                "offsets.topic.replication.factor=1"));
        lines.addAll(List.of(extra));
        Path server = workDir.resolve("server.properties");
        Files.writeString(server, String.join("\n", lines) + "\n");
        Running broker = start("", "server", server.toString());
        if (!awaitLine(broker, "Runnel started", timeout)) {
            broker.process.destroyForcibly();
            fail("runnel server did not start; stderr:\n" + broker.err());
        }
        return broker;
    }

    Result run(String stdin, String... args) throws IOException, InterruptedException {
        Running running = start(stdin, args);
        if (!running.process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            running.process.destroyForcibly();
            fail("runnel " + String.join(" ", args) + " did not finish within " + TOOL_TIMEOUT
                    + "; stderr:\n" + running.err());
        }
        return new Result(running.process.exitValue(), running.out(), running.err());
    }

    /** Waits until the process prints a line starting with {@code prefix}; false if it exits first. */
    static boolean awaitLine(Running running, String prefix, Duration timeout) {
        Await.awaitCondition(timeout, () -> hasLine(running, prefix) || !running.process.isAlive(),
                "a line starting with '" + prefix + "'");
        return hasLine(running, prefix);
    }

    private static boolean hasLine(Running running, String prefix) {
        return running.out().lines().anyMatch(line -> line.startsWith(prefix));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
