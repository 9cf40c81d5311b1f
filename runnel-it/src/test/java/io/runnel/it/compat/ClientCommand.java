package io.runnel.it.compat;

import io.runnel.it.TestDirs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a client program that is not Java on the test class path (kcat, a Python or Node driver, a JVM with older
 * kafka-clients) to completion, its stdout and stderr in files under target/compat.
 */
public final class ClientCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private ClientCommand() {
    }

    /** Where the drivers' sources are: src/test/clients of this module. */
    public static Path clientsDir() {
        return Paths.get(System.getProperty("runnel.it.clients", "src/test/clients")).toAbsolutePath();
    }

    /** Fails, saying how to install it, unless {@code probe} runs and exits 0. */
    public static void requireInstalled(String tool, String install, String... probe) {
        boolean ok;
        try {
            Process process = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ok = process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            fail(tool + " is not installed (" + String.join(" ", probe) + " failed): " + install
                    + "; .ci/run installs it");
        }
    }

    /** Runs the command, feeding {@code stdin} if given; returns stdout, failing on a non-zero exit. */
    public static String run(String stdin, List<String> command) throws IOException, InterruptedException {
        Path dir = TestDirs.buildDir().resolve("compat");
        Files.createDirectories(dir);
        int run = RUNS.incrementAndGet();
        Path out = dir.resolve("run-" + TestDirs.forkId() + "-" + run + ".out");
        Path err = dir.resolve("run-" + TestDirs.forkId() + "-" + run + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("did not finish within " + TIMEOUT + ": " + command + "\nstderr in " + err);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> "failed: " + command + "\nstdout:\n" + output + "\nstderr:\n"
                + read(err));
        return output;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
