package io.runnel.connect;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.connect.cli.ConnectDistributed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel connect-distributed worker.properties}: a worker of an Apache Kafka Connect cluster, as
 * connect-distributed.sh runs it.
 */
@Command(name = "connect-distributed", mixinStandardHelpOptions = true,
        description = {"Run a worker of an Apache Kafka Connect cluster until SIGTERM or SIGINT: the workers sharing "
                + "a group.id share its connectors, which its REST API creates and manages.",
                "Connectors outside the distribution (Kafka's own FileStream connectors, JSON converter and "
                        + "transforms are in it) are found on the worker's plugin.path."})
public final class ConnectDistributedCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "worker.properties", description = "The worker's configuration.")
    Path workerConfig;

    @Override
    public Integer call() {
        new ConnectDistributed(workerConfig.toString()).run();
        return 0;
    }
}
