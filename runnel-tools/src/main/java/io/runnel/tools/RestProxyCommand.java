package io.runnel.tools;

import io.runnel.proxy.RestProxyConfig;
import io.runnel.proxy.RestProxyServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runnel rest-proxy kafka-rest.properties}: the REST proxy alone, against any Kafka cluster, as Confluent's
 * kafka-rest-start runs it (listeners, bootstrap.servers, schema.registry.url).
 */
@Command(name = "rest-proxy", mixinStandardHelpOptions = true,
        description = {"Run the REST proxy (Confluent's REST API v2 and v3) against a Kafka cluster until SIGTERM or "
                + "SIGINT.",
                "The file takes Confluent's names: listeners=http://0.0.0.0:8082, bootstrap.servers=host:9092, "
                        + "schema.registry.url=http://host:8081 (for the avro format), consumer.instance.timeout.ms, "
                        + "client.*, producer.*, consumer.*, admin.* client settings, ssl.* for https:// listeners "
                        + "and authentication.method=BASIC."})
final class RestProxyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "kafka-rest.properties", description = "The proxy's configuration.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        RestProxyConfig config = RestProxyConfig.parse(ServiceProperties.read(configFile));
        RestProxyServer proxy = RestProxyServer.start(config);
        return TerminationSignals.serveUntilTerminated(proxy::close, spec.commandLine().getOut(),
                "REST proxy started: " + config.http().url(0, proxy.boundPort(0)) + ", a client of "
                        + config.adminProperties().get("bootstrap.servers"));
    }
}
