package io.runnel.connect;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.connect.cli.ConnectStandalone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel connect-standalone worker.properties [connector.properties|connector.json]...}: Apache Kafka Connect's
 * standalone worker, as connect-standalone.sh runs it.
 */
@Command(name = "connect-standalone", mixinStandardHelpOptions = true,
        description = {"Run Apache Kafka Connect's standalone worker until SIGTERM or SIGINT, with the connectors the "
                + "files after the worker's configuration define (more through its REST API).",
                "Connectors outside the distribution (Kafka's own FileStream connectors, JSON converter and "
                        + "transforms are in it) are found on the worker's plugin.path."})
public final class ConnectStandaloneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "worker.properties", description = "The worker's configuration.")
    Path workerConfig;

    @Parameters(index = "1..*", paramLabel = "connector", arity = "0..*",
            description = "A connector's configuration, in a properties file or as the JSON of POST /connectors.")
    List<Path> connectorConfigs = List.of();

    @Override
    public Integer call() {
        new ConnectStandalone(Stream.concat(Stream.of(workerConfig), connectorConfigs.stream())
                .map(Path::toString).toArray(String[]::new)).run();
        return 0;
    }
}
