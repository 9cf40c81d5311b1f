package io.runnel.it.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server process whose security settings cannot be honoured (here a SASL PLAIN listener without its users) exits
 * at start-up, printing the key, the value and why, instead of serving a weaker listener than the file asks for.
 */
class SecuritySettingsRefusalTest {
    @TempDir
    Path dir;

    @Test
    void aSaslListenerWithoutItsUsersStopsTheServerProcess() throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, String.join("\n",
                "node.id=1",
                "process.roles=broker,controller",
                "listeners=PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:0",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms=PLAIN",
                "controller.listener.names=CONTROLLER",
                "controller.quorum.bootstrap.servers=127.0.0.1:0",
                "log.dirs=" + dir.resolve("data")));

        RunnelCli.Result result = new RunnelCli(dir).run("", "server", file.toString());

        assertEquals(1, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("Error: Invalid value null for configuration "
                + "listener.name.sasl_plaintext.plain.sasl.jaas.config: listener SASL_PLAINTEXT enables SASL mechanism "
                + "PLAIN and needs its JAAS configuration"), result.err());
        assertFalse(result.out().contains("Runnel started"), result.out());
        assertFalse(Files.exists(dir.resolve("data")), "no storage was formatted");
    }
}
