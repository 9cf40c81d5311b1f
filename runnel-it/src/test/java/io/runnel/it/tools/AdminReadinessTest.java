package io.runnel.it.tools;

import io.runnel.testkit.FreePorts;
import io.runnel.it.http.AdminProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readiness probe of {@code runnel server}: a node of a two-voter quorum whose other voter has not started
 * answers liveness at once and readiness 503 (it cannot serve without a quorum); once the other voter starts, both
 * answer readiness 200.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AdminReadinessTest {
    @TempDir
    Path dir;
    private final List<RunnelCli.Running> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.process.destroyForcibly());
    }

    @Test
    void readinessWaitsForTheQuorumAndLivenessDoesNot() throws Exception {
        RunnelCli cli = new RunnelCli(dir);
        String clusterId = cli.run("", "storage", "random-uuid").out().strip();
        int[][] ports = {{FreePorts.pick(), FreePorts.pick(), FreePorts.pick()},
                {FreePorts.pick(), FreePorts.pick(), FreePorts.pick()}};
        String voters = "1@127.0.0.1:" + ports[0][1] + ",2@127.0.0.1:" + ports[1][1];
        List<Path> files = new ArrayList<>();
        for (int node = 1; node <= 2; node++) {
            int[] p = ports[node - 1];
            Path file = dir.resolve("node-" + node + ".properties");
            Files.writeString(file, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=" + node,
                    "controller.quorum.voters=" + voters,
                    "listeners=PLAINTEXT://127.0.0.1:" + p[0] + ",CONTROLLER://127.0.0.1:" + p[1],
                    "controller.listener.names=CONTROLLER",
                    "admin.listeners=http://127.0.0.1:" + p[2],
                    "log.dirs=" + dir.resolve("data-" + node),
                    "offsets.topic.replication.factor=1", ""));
            RunnelCli.Result formatted = cli.run("", "storage", "format", "-t", clusterId, "-c", file.toString());
            assertEquals(0, formatted.exitCode(), formatted.err());
            files.add(file);
        }
        servers.add(cli.start("", "server", files.get(0).toString()));
        AdminProbe.awaitStatus(ports[0][2], "/v1/status/live", 200);
        assertEquals(503, AdminProbe.status(ports[0][2], "/v1/status/ready"), "no quorum yet: not serving");

        servers.add(cli.start("", "server", files.get(1).toString()));
        AdminProbe.awaitStatus(ports[0][2], "/v1/status/ready", 200);
        AdminProbe.awaitStatus(ports[1][2], "/v1/status/ready", 200);
        assertTrue(RunnelCli.awaitLine(servers.get(0), "Runnel started", java.time.Duration.ofSeconds(30)));
    }
}
