package io.runnel.it.tools;

import io.runnel.storage.MetaProperties;
import io.runnel.testkit.FreePorts;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The quick start of the README, with the real CLI in separate JVMs: server, topics, console producer and consumer. */
class ToolsRoundTripTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int START_ATTEMPTS = 3;

    @TempDir
    Path dir;

    private RunnelCli cli;
    private RunnelCli.Running server;
    private String bootstrap;
    private Path logDir;

    @BeforeEach
    void startServer() throws IOException {
        cli = new RunnelCli(dir);
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int brokerPort = FreePorts.pick();
            int controllerPort = FreePorts.pick();
            Path properties = dir.resolve("server-" + attempt + ".properties");
            Files.writeString(properties, String.join("\n",
                    "node.id=1",
                    "process.roles=broker,controller",
                    "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "log.dirs=" + dir.resolve("data-" + attempt),
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1"));
            server = cli.start("", "server", properties.toString());
            if (RunnelCli.awaitLine(server, "Runnel started", START_TIMEOUT)) {
                bootstrap = "127.0.0.1:" + brokerPort;
                logDir = dir.resolve("data-" + attempt);
                return;
            }
            // A port picked as free may have been taken meanwhile: try others. Ratis reports a taken controller port
            // as a failure to start its RPC service.
            String err = server.err();
            if (!err.contains("Address already in use") && !err.contains("Failed to start NettyRpcService")) {
                break;
            }
        }
        fail("The server did not start; stderr:\n" + server.err());
    }

    @AfterEach
    void stopServer() {
        if (server != null && server.process.isAlive()) {
            server.process.destroyForcibly();
        }
    }

    @Test
    void createProduceConsumeThenStopCleanly() throws Exception {
        assertTrue(server.out().contains("Formatted storage"), "a lone node formats its own storage: " + server.out());

        RunnelCli.Result create = cli.run("", "topics", "--bootstrap-server", bootstrap,
                "--create", "--topic", "greetings", "--partitions", "3", "--replication-factor", "1");
        assertEquals(0, create.exitCode(), create.err());
        assertEquals("Created topic greetings.\n", create.out());

        String[] createAgain = {"topics", "--bootstrap-server", bootstrap, "--create", "--topic", "greetings"};
        RunnelCli.Result again = cli.run("", createAgain);
        assertEquals(1, again.exitCode());
        assertTrue(again.err().startsWith("Error: ") && again.err().contains("greetings"), again.err());
        RunnelCli.Result ignored = cli.run("", concat(createAgain, "--if-not-exists"));
        assertEquals(0, ignored.exitCode(), ignored.err());
        assertEquals("", ignored.out());

        RunnelCli.Result list = cli.run("", "topics", "--bootstrap-server", bootstrap, "--list");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().lines().anyMatch("greetings"::equals), list.out());

        RunnelCli.Result describe = cli.run("", "topics", "--bootstrap-server", bootstrap, "--describe", "--topic", "greetings");
        assertEquals(0, describe.exitCode(), describe.err());
        List<String> describeLines = describe.out().lines().collect(Collectors.toList());
        assertEquals(4, describeLines.size(), describe.out());
        assertTrue(describeLines.get(0).matches("Topic: greetings\tTopicId: \\S+\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: .*"),
                describeLines.get(0));
        assertEquals("\tTopic: greetings\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: ", describeLines.get(2));

        List<String> lines = List.of("k1:hello", "k2:bonjour", "k3:hallo", "k1:hola", "k4:ciao");
        RunnelCli.Result produce = cli.run(String.join("\n", lines) + "\n", "console-producer",
                "--bootstrap-server", bootstrap, "--topic", "greetings",
                "--property", "parse.key=true", "--property", "key.separator=:");
        assertEquals(0, produce.exitCode(), produce.err());

        RunnelCli.Result consume = cli.run("", "console-consumer", "--bootstrap-server", bootstrap, "--topic", "greetings",
                "--from-beginning", "--max-messages", Integer.toString(lines.size()), "--timeout-ms", "60000",
                "--property", "print.key=true", "--property", "key.separator=:");
        assertEquals(0, consume.exitCode(), consume.err());
        // Partitions interleave: compare as sorted lists; one key's records keep their order.
        assertEquals(lines.stream().sorted().collect(Collectors.toList()),
                consume.out().lines().sorted().collect(Collectors.toList()));
        List<String> k1 = consume.out().lines().filter(l -> l.startsWith("k1:")).collect(Collectors.toList());
        assertEquals(List.of("k1:hello", "k1:hola"), k1);
        assertTrue(consume.err().contains("Processed a total of 5 messages"), consume.err());

        assertEquals(0, server.terminate(), "exit code after SIGTERM; stderr:\n" + server.err());
    }

    @Test
    void metadataQuorumPrintsTheStatusAndReplicationAsKafkasToolDoes() throws Exception {
        RunnelCli.Result status = cli.run("", "metadata-quorum", "--bootstrap-server", bootstrap, "describe", "--status");
        assertEquals(0, status.exitCode(), status.err());
        List<String> lines = status.out().lines().toList();
        assertEquals(8, lines.size(), status.out());
        assertTrue(lines.get(0).matches("ClusterId: {14}\\S+"), lines.get(0));
        assertEquals("LeaderId:               1", lines.get(1));
        assertTrue(lines.get(2).matches("LeaderEpoch: {12}[1-9][0-9]*"), lines.get(2));
        assertTrue(lines.get(3).matches("HighWatermark: {10}[1-9][0-9]*"), lines.get(3));
        assertEquals("MaxFollowerLag:         0", lines.get(4));
        assertEquals("MaxFollowerLagTimeMs:   0", lines.get(5));
        // The directory.id of the metadata directory's meta.properties (the one log dir).
        Uuid directoryId = MetaProperties.read(logDir).orElseThrow().directoryId();
        assertTrue(lines.get(6).matches("CurrentVoters: {10}\\[\\{\"id\": 1, \"directoryId\": \"" + directoryId
                + "\", \"endpoints\": \\[\"CONTROLLER://127.0.0.1:[0-9]+\"]}]"), lines.get(6));
        assertEquals("CurrentObservers:       []", lines.get(7));

        RunnelCli.Result replication = cli.run("", "metadata-quorum", "--bootstrap-server", bootstrap, "describe",
                "--replication");
        assertEquals(0, replication.exitCode(), replication.err());
        List<String[]> rows = replication.out().lines().map(l -> l.trim().split("\\s+")).toList();
        assertEquals(List.of("NodeId", "DirectoryId", "LogEndOffset", "Lag", "LastFetchTimestamp",
                "LastCaughtUpTimestamp", "Status"), List.of(rows.get(0)));
        assertEquals(2, rows.size(), replication.out());
        assertEquals("1", rows.get(1)[0]);
        assertEquals(directoryId.toString(), rows.get(1)[1]);
        assertEquals("0", rows.get(1)[3], "the leader has no lag");
        assertEquals("Leader", rows.get(1)[6]);
    }

    private static String[] concat(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }

}
