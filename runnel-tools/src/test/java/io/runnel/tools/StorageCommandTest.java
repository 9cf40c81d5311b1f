package io.runnel.tools;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageCommandTest {
    @TempDir
    Path dir;

    private Path serverProperties() throws IOException {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, String.join("\n",
                "node.id=2",
                "process.roles=broker,controller",
                "listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.listener.names=CONTROLLER",
                "controller.quorum.voters=2@localhost:9093",
                "log.dirs=" + dir.resolve("logs"),
                "metadata.log.dir=" + dir.resolve("meta")));
        return file;
    }

    @Test
    void randomUuidPrintsAClusterId() {
        CliResult result = CliResult.run("storage", "random-uuid");
        assertEquals(0, result.exitCode());
        Uuid.fromString(result.out().trim());
    }

    @Test
    void formatThenInfo() throws IOException {
        Path config = serverProperties();
        String clusterId = Uuid.randomUuid().toString();

        CliResult format = CliResult.run("storage", "format", "--cluster-id", clusterId, "--config", config.toString());
        assertEquals(0, format.exitCode(), format.err());
        assertTrue(format.out().contains("Formatting " + dir.resolve("logs") + " with cluster id " + clusterId), format.out());
        assertTrue(Files.exists(dir.resolve("meta").resolve("meta.properties")));

        CliResult info = CliResult.run("storage", "info", "-c", config.toString());
        assertEquals(0, info.exitCode(), info.out());
        assertTrue(info.out().contains("cluster.id=" + clusterId) && info.out().contains("node.id=2"), info.out());
    }

    @Test
    void infoReportsUnformattedDirectories() throws IOException {
        CliResult info = CliResult.run("storage", "info", "--config", serverProperties().toString());
        assertEquals(1, info.exitCode());
        assertTrue(info.out().contains(dir.resolve("logs") + " is not formatted."), info.out());
    }

    @Test
    void formatRefusesAnotherClusterUnlessIgnored() throws IOException {
        String config = serverProperties().toString();
        CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(), "-c", config);

        CliResult again = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(), "-c", config);
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("--ignore-formatted"), again.err());

        CliResult ignored = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(), "-c", config, "-g");
        assertEquals(0, ignored.exitCode(), ignored.err());
        assertTrue(ignored.out().contains("All of the log directories are already formatted."), ignored.out());
    }

    @Test
    void formatNeedsAClusterIdAndAConfig() {
        CliResult result = CliResult.run("storage", "format", "--config", "x.properties");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("--cluster-id"), result.err());
    }
}
