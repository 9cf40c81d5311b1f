package io.runnel.tools;

import io.runnel.broker.RunnelServer;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.StorageFormatter;
import io.runnel.broker.network.ListenerSpec;
import org.apache.kafka.common.Uuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code runnel server [server.properties] [--override k=v]...}: runs one node until SIGTERM or SIGINT. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Start a Runnel node.",
                "Without a properties file: one combined broker and controller on localhost:9092, data in ./data.",
                "bin/runnel server -daemon runs it detached (output in $LOG_DIR/runnelServer.out); "
                        + "bin/runnel server-stop stops it."})
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "server.properties", description = "The node's configuration file.")
    Path configFile;

    @Option(names = "--override", paramLabel = "key=value", description = "Override a property of the file (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--print-config", description = "Print the effective configuration, each value with its source "
            + "(default, file, embedded default, override), secrets hidden, and exit without starting.")
    boolean printConfig;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> supplied = BrokerConfig.load(configFile, overrides);
        BrokerConfig config = BrokerConfig.parse(supplied);
        if (printConfig) {
            printConfig(config, supplied, out);
            return 0;
        }
        // Before formatting: a console login list or TLS stores that cannot be used stop the server here.
        EmbeddedConsole console = new EmbeddedConsole(config);
        // The node has this JVM to itself: its metrics are MBeans under Kafka's names, as a Kafka broker's are.
        RunnelServer server = new RunnelServer(config, true);
        ensureFormatted(config, out);
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(config);
        EmbeddedRestProxy proxy = new EmbeddedRestProxy(config);
        TerminationSignals.onTermination(() -> {
            console.close();
            proxy.close();
            registry.close();
            server.close();
        });
        try {
            server.startup();
            registry.start(server);
            proxy.start(server, registry.url());
            console.start(server, registry.url());
            out.println("Runnel started: cluster " + server.clusterId() + ", node " + config.nodeId()
                    + ", listening on " + config.listeners().stream()
                    .map(l -> l.name() + "://" + displayHost(l) + ":" + port(server, config, l))
                    .collect(Collectors.joining(", "))
                    + (config.adminHttp().listeners().isEmpty() ? "" : "; admin endpoint "
                    + config.adminHttp().url(0, server.adminPort()))
                    + registry.describe() + proxy.describe() + console.describe());
            out.flush();
        } catch (Exception e) {
            console.close();
            proxy.close();
            registry.close();
            server.close();
            throw e;
        }
        server.awaitShutdown();
        return 0;
    }

    /** Every key Runnel defines and every key supplied, sorted, as {@code key=value (source)}. */
    private void printConfig(BrokerConfig config, Map<String, String> supplied, PrintWriter out) throws IOException {
        Map<String, String> fromFile = BrokerConfig.load(configFile, List.of());
        Set<String> overridden = overrides.stream().map(o -> o.substring(0, o.indexOf('=')).trim())
                .collect(Collectors.toSet());
        Map<String, String> values = new TreeMap<>();
        config.names().forEach(key -> values.put(key, config.get(key)));
        supplied.forEach(values::putIfAbsent);
        values.forEach((key, value) -> {
            String source = overridden.contains(key) ? "override"
                    : fromFile.containsKey(key) ? (configFile == null ? "embedded default" : "file") : "default";
            String shown = value != null && BrokerConfig.isSensitive(key) ? "[hidden]" : value;
            out.println(key + "=" + (shown == null ? "" : shown) + " (" + source + ")");
        });
    }

    /** A lone node formats its own storage on first start; a member of a quorum must share a formatted cluster id. */
    private void ensureFormatted(BrokerConfig config, PrintWriter out) {
        if (StorageFormatter.isFormatted(config)) {
            return;
        }
        if (!config.controllerQuorumVoters().keySet().equals(Set.of(config.nodeId()))) {
            throw new IllegalStateException("Storage in " + config.logDirs() + " is not formatted. Run `runnel storage "
                    + "format --cluster-id <id> --config <server.properties>` on every node with the same id "
                    + "(make one with `runnel storage random-uuid`).");
        }
        String clusterId = StorageFormatter.clusterId(config).orElseGet(() -> Uuid.randomUuid().toString());
        List<Path> formatted = StorageFormatter.format(config, clusterId, false);
        out.println("Formatted storage " + formatted + " for cluster " + clusterId + ".");
    }

    /** Broker listeners may bind an ephemeral port; the controller listener is the quorum's configured address. */
    private static int port(RunnelServer server, BrokerConfig config, ListenerSpec l) {
        return config.brokerListeners().contains(l) ? server.boundPort(l.name()) : l.port();
    }

    private static String displayHost(ListenerSpec l) {
        return l.host().isEmpty() ? "0.0.0.0" : l.host();
    }
}
