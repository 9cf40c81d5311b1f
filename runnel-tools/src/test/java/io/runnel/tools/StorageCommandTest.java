package io.runnel.tools;

import io.runnel.storage.MetaProperties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramCredentialUtils;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    /** Kafka 4's dynamic quorum: the voters come from the format command, not from controller.quorum.voters. */
    private Path dynamicQuorumProperties() throws IOException {
        Path file = dir.resolve("dynamic.properties");
        Files.writeString(file, String.join("\n",
                "node.id=2",
                "process.roles=broker,controller",
                "listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.listener.names=CONTROLLER",
                "controller.quorum.bootstrap.servers=localhost:9093,localhost:9095",
                "log.dirs=" + dir.resolve("logs"),
                "metadata.log.dir=" + dir.resolve("meta")));
        return file;
    }

    @Test
    void standaloneMakesThisControllerTheOnlyVoter() throws IOException {
        CliResult format = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(),
                "-c", dynamicQuorumProperties().toString(), "--standalone");
        assertEquals(0, format.exitCode(), format.err());
        assertEquals(List.of("2@localhost:9093"), voters());
    }

    @Test
    void initialControllersAreRecordedWithThisNodesDirectoryId() throws IOException {
        Uuid first = Uuid.randomUuid();
        Uuid mine = Uuid.randomUuid();
        CliResult format = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(),
                "-c", dynamicQuorumProperties().toString(),
                "--initial-controllers", "1@localhost:9095:" + first + ",2@localhost:9093:" + mine);
        assertEquals(0, format.exitCode(), format.err());
        assertEquals(List.of("1@localhost:9095", "2@localhost:9093"), voters());
        assertEquals(mine, MetaProperties.read(dir.resolve("meta")).orElseThrow().directoryId());
        assertNotEquals(mine, MetaProperties.read(dir.resolve("logs")).orElseThrow().directoryId());
    }

    @Test
    void dynamicQuorumFlagsAreRefusedWithReasons() throws IOException {
        String dynamic = dynamicQuorumProperties().toString();
        CliResult both = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(), "-c", dynamic,
                "--standalone", "--no-initial-controllers");
        assertEquals(1, both.exitCode());
        assertTrue(both.err().contains("Only one of --standalone, --initial-controllers and --no-initial-controllers"),
                both.err());
        CliResult noDirectory = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(), "-c", dynamic,
                "--initial-controllers", "1@localhost:9095");
        assertTrue(noDirectory.err().contains("--initial-controllers: 1@localhost:9095: expected "
                + "id@host:port:directoryId"), noDirectory.err());
        CliResult onStaticVoters = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(),
                "-c", serverProperties().toString(), "--standalone");
        assertTrue(onStaticVoters.err().contains("controller.quorum.voters is set"), onStaticVoters.err());
        assertFalse(Files.exists(dir.resolve("meta").resolve("meta.properties")), "nothing formatted");
    }

    private List<String> voters() throws IOException {
        return Files.readAllLines(dir.resolve("meta").resolve("quorum-voters")).stream()
                .filter(line -> !line.startsWith("#")).toList();
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

    @Test
    void addScramKeepsTheUsersCredentialsForTheFirstStart() throws Exception {
        Path config = serverProperties();
        CliResult format = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--add-scram", "SCRAM-SHA-512=[name=admin,password=admin-secret]",
                "-S", "SCRAM-SHA-256=[name=alice,iterations=8192,password=\"a,b\"]");
        assertEquals(0, format.exitCode(), format.err());

        Properties kept = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("meta").resolve("bootstrap-scram.properties"))) {
            kept.load(in);
        }
        assertEquals("admin", kept.getProperty("0.user"));
        assertEquals("SCRAM-SHA-512", kept.getProperty("0.mechanism"));
        assertProves(kept.getProperty("0.credential"), ScramMechanism.SCRAM_SHA_512, "admin-secret", 4096);
        assertEquals("alice", kept.getProperty("1.user"));
        assertProves(kept.getProperty("1.credential"), ScramMechanism.SCRAM_SHA_256, "a,b", 8192);
        assertFalse(kept.toString().contains("admin-secret"), "no password is kept");
    }

    @Test
    void aBadAddScramFormatsNothingAndDoesNotPrintThePassword() throws IOException {
        Path config = serverProperties();
        CliResult format = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(),
                "--add-scram", "SCRAM-SHA-512=[name=admin,iterations=10,password=admin-secret]");
        assertEquals(1, format.exitCode(), format.err());
        assertTrue(format.err().contains("Invalid --add-scram 'SCRAM-SHA-512=[name=admin,iterations=10,"
                + "password=[hidden]]': SCRAM-SHA-512 needs at least 4096 iterations"), format.err());
        assertFalse(format.err().contains("admin-secret"), format.err());
        assertFalse(Files.exists(dir.resolve("meta").resolve("meta.properties")), "nothing formatted");

        CliResult noName = CliResult.run("storage", "format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString(), "--add-scram", "SCRAM-SHA-1=[name=admin,password=x]");
        assertTrue(noName.err().contains("the mechanism must be one of"), noName.err());
    }

    /** The credential's stored key is what the password, salted and hashed as it says, gives. */
    private static void assertProves(String credential, ScramMechanism mechanism, String password, int iterations)
            throws Exception {
        ScramCredential parsed = ScramCredentialUtils.credentialFromString(credential);
        assertEquals(iterations, parsed.iterations());
        ScramFormatter formatter = new ScramFormatter(mechanism);
        byte[] salted = formatter.saltedPassword(password, parsed.salt(), iterations);
        assertArrayEquals(parsed.storedKey(), formatter.storedKey(formatter.clientKey(salted)));
    }
}
