package io.runnel.it;

import io.runnel.testkit.FreePorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/runnel server -daemon} and {@code bin/runnel server-stop}, as kafka-server-start.sh -daemon and
 * kafka-server-stop.sh: the real launcher script, run by bash in a copy of the install layout whose
 * {@code runnel-tools/target/runnel-tools-*.jar} is a manifest-only jar pointing at the test class path (so the
 * launcher finds its jar and does not build anything).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DaemonLauncherTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int START_ATTEMPTS = 3;

    private final Path install = TestDirs.createTemp("runnel-install-");
    private final Path logDir = install.resolve("server-logs");
    private final Path out = logDir.resolve("runnelServer.out");
    private final Path pidFile = logDir.resolve("runnelServer.pid");

    @AfterEach
    void cleanUp() throws IOException {
        daemon().ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        });
        TestDirs.deleteRecursively(install);
    }

    @Test
    void startsDetachedWithItsOutputInLogDirAndStopsOnServerStop() throws Exception {
        LauncherInstall.into(install);
        NodeLayout layout = startDaemon();

        ProcessHandle server = daemon().orElseThrow();
        assertTrue(server.info().commandLine().orElse("").contains("io.runnel.tools.Runnel server"),
                server.info().commandLine().orElse("?"));
        Properties clientProps = new Properties();
        clientProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + layout.brokerPort());
        try (Admin admin = Admin.create(clientProps)) {
            assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        }

        Result stop = launcher("server-stop");
        assertEquals(0, stop.exitCode(), stop.output());
        server.onExit().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertTrue(read(logDir.resolve("server.log")).contains("Node 1 shut down"), "SIGTERM shuts the server down cleanly");
        Result again = launcher("server-stop");
        assertEquals(1, again.exitCode());
        assertTrue(again.output().contains("No Runnel server to stop"), again.output());
    }

    /** Starts the daemon on free ports; a port taken meanwhile makes the server exit, and it is started again. */
    private NodeLayout startDaemon() throws Exception {
        for (int attempt = 1; ; attempt++) {
            NodeLayout layout = NodeLayout.withFreePorts(1, install.resolve("data"));
            Path properties = install.resolve("server.properties");
            Properties props = new Properties();
            props.putAll(layout.brokerProperties(List.of(layout), Map.of()));
            try (Writer w = Files.newBufferedWriter(properties)) {
                props.store(w, "daemon test");
            }
            Result start = launcher("server", "-daemon", properties.toString());
            assertEquals(0, start.exitCode(), start.output());
            assertTrue(Files.exists(pidFile), "the launcher writes " + pidFile);
            Await.awaitCondition(WAIT, () -> read(out).contains("Runnel started") || daemon().isEmpty(),
                    "the server prints 'Runnel started' to " + out);
            if (read(out).contains("Runnel started")) {
                return layout;
            }
            if (attempt == START_ATTEMPTS || !read(out).contains(FreePorts.IN_USE_MESSAGE)) {
                throw new AssertionError("The daemon did not start:\n" + read(out));
            }
            TestDirs.deleteRecursively(install.resolve("data"));
        }
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs bin/runnel with bash and waits for it: the daemon's launcher must return at once. */
    private Result launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", install.resolve("bin/runnel").toString()));
        command.addAll(List.of(args));
        Path output = install.resolve("launcher.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("LOG_DIR", logDir.toString());
        builder.environment().put("RUNNEL_HEAP_OPTS", "-Xmx256m");
        builder.environment().put("RUNNEL_JVM_OPTS", "-Drunnel.log.file=" + logDir.resolve("server.log"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bin/runnel " + String.join(" ", args) + " did not return");
        }
        return new Result(process.exitValue(), read(output));
    }

    /** The running server the PID file names. */
    private Optional<ProcessHandle> daemon() {
        String pid = read(pidFile).strip();
        return pid.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
