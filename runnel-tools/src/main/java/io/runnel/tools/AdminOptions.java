package io.runnel.tools;

import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** The connection options every Admin-based tool takes, named as in Kafka's scripts. */
final class AdminOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "SERVER", description = "host:port of a broker.")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE", description = "Admin client properties.")
    Path commandConfig;

    /** The Admin client's properties: the --command-config file, then the bootstrap server. */
    Properties adminProperties() throws IOException {
        Properties props = ClientProperties.load(commandConfig, List.of(), "--command-config", spec);
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        return props;
    }
}
