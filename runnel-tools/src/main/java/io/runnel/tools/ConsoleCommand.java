package io.runnel.tools;

import io.runnel.console.ConsoleConfig;
import io.runnel.console.ConsoleServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code runnel console console.properties}: the web console alone, against any Kafka cluster. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Run the web console against a Kafka cluster until SIGTERM or SIGINT.",
                "The file takes console.listeners=http://localhost:8080 (https:// with console.ssl.*), "
                        + "bootstrap.servers=host:9092, "
                        + "schema.registry.url=http://host:8081 (Avro values, the Schemas pages), "
                        + "console.read.only=true|false, console.basic.auth.passwords=user:password,..., "
                        + "and client.* settings (security) for its Kafka clients."})
final class ConsoleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "console.properties", description = "The console's configuration.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        ConsoleConfig config = ConsoleConfig.parse(ServiceProperties.read(configFile));
        ConsoleServer console = ConsoleServer.start(config);
        return TerminationSignals.serveUntilTerminated(console::close, spec.commandLine().getOut(),
                "Console started: " + config.http().url(0, console.boundPort(0)) + ", a client of "
                        + config.clientProperties().get("bootstrap.servers"));
    }
}
