package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code runnel cluster}: kafka-cluster.sh's cluster-id and unregister, with the same flags and output. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "The cluster's id, and retiring brokers.",
        subcommands = {ClusterCommand.ClusterId.class, ClusterCommand.Unregister.class})
final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the command: one of " + spec.subcommands().keySet());
    }

    /** The connection flags of kafka-cluster.sh, given after the subcommand. */
    static final class Connection {
        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        @Option(names = {"--bootstrap-server", "-b"}, required = true, paramLabel = "SERVER",
                description = "host:port of a broker.")
        String bootstrapServer;

        @Option(names = {"--config", "-c"}, paramLabel = "FILE", description = "Admin client properties.")
        Path config;

        Admin admin() throws IOException {
            Properties props = ClientProperties.load(config, List.of(), "--config", spec);
            props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
            return Admin.create(props);
        }
    }

    @Command(name = "cluster-id", mixinStandardHelpOptions = true, description = "Print the cluster id.")
    static final class ClusterId implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = connection.admin()) {
                spec.commandLine().getOut().println("Cluster ID: " + admin.describeCluster().clusterId().get());
            }
            return 0;
        }
    }

    @Command(name = "unregister", mixinStandardHelpOptions = true,
            description = "Unregister a retired broker: it leaves every ISR and leadership, and the cluster.")
    static final class Unregister implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = {"--id", "-i"}, required = true, paramLabel = "ID", description = "The broker to unregister.")
        int id;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = connection.admin()) {
                admin.unregisterBroker(id).all().get();
            }
            spec.commandLine().getOut().println("Broker " + id + " is no longer registered.");
            return 0;
        }
    }
}
