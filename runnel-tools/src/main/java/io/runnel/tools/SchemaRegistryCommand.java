package io.runnel.tools;

import io.runnel.registry.RegistryConfig;
import io.runnel.registry.SchemaRegistryServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runnel schema-registry schema-registry.properties}: the schema registry alone, against any Kafka cluster, as
 * Confluent's schema-registry-start runs it (listeners, kafkastore.bootstrap.servers, kafkastore.topic).
 */
@Command(name = "schema-registry", mixinStandardHelpOptions = true,
        description = {"Run the schema registry (Confluent's REST API) against a Kafka cluster until SIGTERM or SIGINT.",
                "The file takes Confluent's names: listeners=http://0.0.0.0:8081, "
                        + "kafkastore.bootstrap.servers=host:9092, kafkastore.topic=_schemas, kafkastore.* "
                        + "client settings, ssl.* for https:// listeners and authentication.method=BASIC."})
final class SchemaRegistryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "schema-registry.properties", description = "The registry's configuration.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        RegistryConfig config = RegistryConfig.parse(ServiceProperties.read(configFile));
        SchemaRegistryServer registry = SchemaRegistryServer.start(config);
        return TerminationSignals.serveUntilTerminated(registry::close, spec.commandLine().getOut(),
                "Schema registry started: " + config.http().url(0, registry.boundPort(0)) + ", schemas in "
                        + config.topic() + " of "
                        + config.clientProperties().get("bootstrap.servers"));
    }
}
