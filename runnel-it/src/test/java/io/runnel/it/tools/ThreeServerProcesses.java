package io.runnel.it.tools;

import io.runnel.testkit.FreePorts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three combined nodes as an operator starts them: each node's server.properties written to a file, formatted with
 * {@code runnel storage format -t ID -c FILE} (and the caller's extra format flags), started with
 * {@code runnel server FILE}; on other free ports when a port picked as free was taken meanwhile.
 */
final class ThreeServerProcesses {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int START_ATTEMPTS = 3;

    /** One node's server.properties. */
    @FunctionalInterface
    interface ServerProperties {
        /**
         * @param ports  the node's broker port, then its controller port
         * @param voters controller.quorum.voters of the three nodes
         */
        String of(int nodeId, int[] ports, String voters, Path logDirs);
    }

    private ThreeServerProcesses() {
    }

    /**
     * Starts the nodes (added to {@code servers}, which the caller stops) and returns the bootstrap list; node
     * addresses use {@code host}, which the properties' listeners must accept.
     */
    static String start(RunnelCli cli, Path dir, String host, List<RunnelCli.Running> servers, String clusterId,
                        ServerProperties properties, String... formatFlags) throws Exception {
        return start(cli, dir, host, servers, clusterId, properties, voters -> List.of(formatFlags));
    }

    /** As above, with format flags made from the nodes' controller.quorum.voters. */
    static String start(RunnelCli cli, Path dir, String host, List<RunnelCli.Running> servers, String clusterId,
                        ServerProperties properties, Function<String, List<String>> formatFlags) throws Exception {
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            List<int[]> ports = new ArrayList<>();
            for (int node = 1; node <= 3; node++) {
                ports.add(new int[] {FreePorts.pick(), FreePorts.pick()});
            }
            String voters = "1@" + host + ":" + ports.get(0)[1] + ",2@" + host + ":" + ports.get(1)[1]
                    + ",3@" + host + ":" + ports.get(2)[1];
            for (int node = 1; node <= 3; node++) {
                Path file = dir.resolve("server-" + node + "-" + attempt + ".properties");
                Files.writeString(file, properties.of(node, ports.get(node - 1), voters,
                        dir.resolve("kraft-combined-logs-" + node + "-" + attempt)), StandardCharsets.UTF_8);
                List<String> format = new ArrayList<>(List.of("storage", "format", "-t", clusterId, "-c",
                        file.toString()));
                format.addAll(formatFlags.apply(voters));
                RunnelCli.Result formatted = cli.run("", format.toArray(String[]::new));
                assertEquals(0, formatted.exitCode(), formatted.err());
                servers.add(cli.start("", "server", file.toString()));
            }
            boolean started = true;
            for (RunnelCli.Running server : servers) {
                started &= RunnelCli.awaitLine(server, "Runnel started", START_TIMEOUT);
            }
            if (started) {
                return ports.stream().map(p -> host + ":" + p[0]).collect(Collectors.joining(","));
            }
            String errors = servers.stream().map(RunnelCli.Running::err).collect(Collectors.joining("\n"));
            servers.forEach(s -> s.process.destroyForcibly());
            servers.clear();
            if (!errors.contains("Address already in use") && !errors.contains("Failed to start NettyRpcService")) {
                fail("The nodes did not start; stderr:\n" + errors);
            }
        }
        fail("Ports picked as free were taken " + START_ATTEMPTS + " times");
        return null;
    }

    /** Stops every node with SIGTERM, all at once, then starts each again with its arguments. */
    static void restartAll(RunnelCli cli, List<RunnelCli.Running> servers) throws Exception {
        servers.forEach(s -> s.process.destroy());
        List<RunnelCli.Running> stopped = new ArrayList<>(servers);
        servers.clear();
        for (RunnelCli.Running server : stopped) {
            assertEquals(0, server.terminate(), server.err());
        }
        for (RunnelCli.Running server : stopped) {
            servers.add(cli.start("", server.args.toArray(String[]::new)));
        }
        for (RunnelCli.Running server : servers) {
            if (!RunnelCli.awaitLine(server, "Runnel started", START_TIMEOUT)) {
                fail("A node did not start again; stderr:\n" + server.err());
            }
        }
    }
}
