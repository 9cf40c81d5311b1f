package io.runnel.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's start-up checks that fail before anything is started. */
class ServerCommandTest {
    @TempDir
    Path dir;

    @Test
    void aConfigErrorIsOneLineNamingKeyValueAndRule() {
        CliResult result = CliResult.run("server", "--override", "num.partitions=0", "--override", "log.dirs=" + dir);
        assertEquals(1, result.exitCode());
        assertEquals("Error: Invalid value 0 for configuration num.partitions: Value must be at least 1",
                result.err().strip());
    }

    @Test
    void anSslListenerWhoseKeystoreIsMissingStopsStartUpNamingTheKeyAndWhy() throws IOException {
        Path file = combinedNode("listeners=SSL://localhost:9094,CONTROLLER://localhost:9093",
                "listener.security.protocol.map=SSL:SSL,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=SSL",
                "ssl.keystore.location=/etc/kafka/server.keystore.jks",
                "ssl.keystore.password=secret",
                "controller.quorum.voters=1@localhost:9093");

        CliResult result = CliResult.run("server", file.toString());

        assertEquals(1, result.exitCode());
        assertEquals("Error: Invalid value /etc/kafka/server.keystore.jks for configuration ssl.keystore.location: "
                + "no such file", result.err().strip());
        assertFalse(Files.exists(dir.resolve("logs")), "nothing is formatted or started");
    }

    @Test
    void anAuthorizerOtherThanKafkasStandardAuthorizerStopsStartUp() {
        CliResult result = CliResult.run("server", "--override", "log.dirs=" + dir,
                "--override", "authorizer.class.name=kafka.security.authorizer.AclAuthorizer");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith("Error: Invalid value kafka.security.authorizer.AclAuthorizer "
                + "for configuration authorizer.class.name: Runnel's authorizer is Kafka's "
                + "org.apache.kafka.metadata.authorizer.StandardAuthorizer"), result.err());
    }

    @Test
    void printConfigShowsEachValueWithItsSourceAndHidesSecrets() throws IOException {
        Path file = combinedNode("listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.quorum.voters=1@localhost:9093", "num.partitions=3", "ssl.truststore.password=secret",
                "no.such.key=1");

        CliResult result = CliResult.run("server", file.toString(), "--override", "log.retention.hours=1",
                "--print-config");

        assertEquals(0, result.exitCode(), result.toString());
        List<String> lines = result.out().lines().toList();
        assertTrue(lines.contains("num.partitions=3 (file)"), result.out());
        assertTrue(lines.contains("log.retention.hours=1 (override)"), result.out());
        assertTrue(lines.contains("default.replication.factor=1 (default)"), result.out());
        assertTrue(lines.contains("ssl.truststore.password=[hidden] (file)"), result.out());
        assertTrue(lines.contains("no.such.key=1 (file)"), result.out());
        assertFalse(result.out().contains("secret"), result.out());
        assertFalse(Files.exists(dir.resolve("logs")), "nothing is formatted or started");
    }

    @Test
    void aWrongConsoleLoginListStopsStartUpWithoutShowingAPassword() {
        CliResult result = CliResult.run("server", "--override", "log.dirs=" + dir.resolve("logs"),
                "--override", "console.basic.auth.passwords=alice:pw1,alice:pw2");
        assertEquals(1, result.exitCode());
        assertEquals("Error: console.basic.auth.passwords: each entry must be user:password with a user named once "
                + "and a non-empty password", result.err().strip());
        assertFalse(Files.exists(dir.resolve("logs")), "nothing is formatted or started");
    }

    @Test
    void printConfigHidesTheConsolesPasswords() {
        CliResult result = CliResult.run("server", "--override", "console.basic.auth.passwords=alice:pw1",
                "--print-config");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().lines().toList().contains("console.basic.auth.passwords=[hidden] (override)"),
                result.out());
        assertTrue(result.out().lines().toList().contains("console.listeners=http://localhost:8080 (embedded default)"),
                result.out());
        assertFalse(result.out().contains("pw1"), result.out());
    }

    @Test
    void aMalformedOverrideIsAnError() {
        CliResult result = CliResult.run("server", "--override", "num.partitions");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("expected key=value"), result.err());
    }

    @Test
    void aMissingFileIsAnError() {
        CliResult result = CliResult.run("server", dir.resolve("absent.properties").toString());
        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith("Error: No such file: ") && result.err().contains("absent.properties"), result.err());
    }

    @Test
    void aQuorumMemberDoesNotFormatItself() throws IOException {
        Path file = combinedNode("listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.quorum.voters=1@localhost:9093,2@localhost:9094,3@localhost:9095");

        CliResult result = CliResult.run("server", file.toString());

        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("runnel storage format"), result.err());
        assertFalse(Files.exists(dir.resolve("logs").resolve("meta.properties")));
    }

    /** A server.properties for node 1 in both roles with its data under logs/, plus the given lines. */
    private Path combinedNode(String... lines) throws IOException {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, String.join("\n", "node.id=1", "process.roles=broker,controller",
                "controller.listener.names=CONTROLLER", "log.dirs=" + dir.resolve("logs")) + "\n"
                + String.join("\n", lines));
        return file;
    }
}
