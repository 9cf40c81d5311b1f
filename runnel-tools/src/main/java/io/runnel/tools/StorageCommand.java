package io.runnel.tools;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.InitialControllers;
import io.runnel.broker.config.StorageFormatter;
import io.runnel.broker.security.BootstrapScramCredentials;
import io.runnel.metadata.record.ScramCredentialRecord;
import io.runnel.storage.MetaProperties;
import org.apache.kafka.common.Uuid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code runnel storage}: kafka-storage.sh's random-uuid, format and info. */
@Command(name = "storage", mixinStandardHelpOptions = true, description = "Format and inspect a node's storage directories.",
        subcommands = {StorageCommand.RandomUuid.class, StorageCommand.Format.class, StorageCommand.Info.class})
final class StorageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the storage command: one of " + spec.subcommands().keySet());
    }

    @Command(name = "random-uuid", mixinStandardHelpOptions = true, description = "Print a new cluster id.")
    static final class RandomUuid implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(Uuid.randomUuid());
            return 0;
        }
    }

    @Command(name = "format", mixinStandardHelpOptions = true,
            description = "Write meta.properties in every log directory and the metadata directory.")
    static final class Format implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-t", "--cluster-id"}, required = true, description = "The cluster id (see random-uuid).")
        String clusterId;

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The server.properties file.")
        Path config;

        @Option(names = {"-g", "--ignore-formatted"}, description = "Skip directories that are already formatted.")
        boolean ignoreFormatted;

        @Option(names = {"-S", "--add-scram"}, paramLabel = "CREDENTIAL", description = "A SCRAM user the cluster starts"
                + " with, e.g. 'SCRAM-SHA-512=[name=admin,password=admin-secret]' (also iterations=, or salt= and"
                + " saltedpassword= instead of password=); repeatable.")
        List<String> addScram = List.of();

        @Option(names = {"-s", "--standalone"}, description = "Start a dynamic quorum with this controller as its"
                + " only voter (more are added with `runnel metadata-quorum add-controller`).")
        boolean standalone;

        @Option(names = {"-I", "--initial-controllers"}, paramLabel = "VOTERS", description = "The first voters of a"
                + " dynamic quorum, the same on every node: id@host:port:directoryId,... (directory ids from"
                + " random-uuid).")
        String initialControllers;

        @Option(names = {"-N", "--no-initial-controllers"}, description = "This node joins a dynamic quorum that"
                + " already runs, found through controller.quorum.bootstrap.servers.")
        boolean noInitialControllers;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            BrokerConfig brokerConfig = BrokerConfig.parse(BrokerConfig.load(config, List.of()));
            List<ScramCredentialRecord> scram;
            try {
                scram = addScram.stream().map(BootstrapScramCredentials::parse).toList();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if ((standalone ? 1 : 0) + (initialControllers != null ? 1 : 0) + (noInitialControllers ? 1 : 0) > 1) {
                throw new ParameterException(spec.commandLine(), "Only one of --standalone, --initial-controllers"
                        + " and --no-initial-controllers can be given");
            }
            List<Path> formatted;
            try {
                Optional<InitialControllers> initial = standalone ? Optional.of(InitialControllers.standalone(brokerConfig))
                        : Optional.ofNullable(initialControllers).map(InitialControllers::parse);
                if (noInitialControllers && brokerConfig.hasStaticVoters()) {
                    throw new IllegalArgumentException("controller.quorum.voters is set, so the quorum's voters are"
                            + " static: --no-initial-controllers is for a quorum found through"
                            + " controller.quorum.bootstrap.servers");
                }
                formatted = StorageFormatter.format(brokerConfig, clusterId, ignoreFormatted, initial);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (formatted.isEmpty()) {
                out.println("All of the log directories are already formatted.");
            }
            for (Path dir : formatted) {
                out.println("Formatting " + dir + " with cluster id " + clusterId + ".");
            }
            if (!scram.isEmpty()) {
                if (formatted.contains(brokerConfig.metadataLogDir())) {
                    BootstrapScramCredentials.write(brokerConfig.metadataLogDir(), scram);
                } else {
                    out.println("The metadata directory " + brokerConfig.metadataLogDir() + " was already formatted:"
                            + " the --add-scram credentials were not added.");
                }
            }
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show what each storage directory holds.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The server.properties file.")
        Path config;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            BrokerConfig brokerConfig = BrokerConfig.parse(BrokerConfig.load(config, List.of()));
            int problems = 0;
            for (Path dir : StorageFormatter.directories(brokerConfig)) {
                out.println("Found log directory:");
                out.println("  " + dir);
                Optional<MetaProperties> meta = MetaProperties.read(dir);
                if (meta.isPresent()) {
                    out.println("Found metadata: {cluster.id=" + meta.get().clusterId() + ", directory.id="
                            + meta.get().directoryId() + ", node.id=" + meta.get().nodeId() + ", version=1}");
                } else {
                    problems++;
                    out.println("Found problem:");
                    out.println("  " + dir + " is not formatted.");
                }
                out.println();
            }
            return problems == 0 ? 0 : 1;
        }
    }
}
