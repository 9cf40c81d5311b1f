package io.runnel.tools;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.storage.MetaProperties;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;
import org.apache.kafka.common.Uuid;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel metadata-quorum}: kafka-metadata-quorum.sh's describe, add-controller and remove-controller, with the
 * same options and output.
 */
@Command(name = "metadata-quorum", mixinStandardHelpOptions = true,
        description = "Describe the metadata quorum (its leader and how far each voter has replicated), or add and "
                + "remove its voters.",
        subcommands = {MetadataQuorumCommand.Describe.class, MetadataQuorumCommand.AddController.class,
                MetadataQuorumCommand.RemoveController.class})
final class MetadataQuorumCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the command: one of " + spec.subcommands().keySet());
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Describe the metadata quorum info.")
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        MetadataQuorumCommand parent;

        @ArgGroup(multiplicity = "1")
        What what;

        static final class What {
            @Option(names = "--status", required = true,
                    description = "A short summary of the quorum status.")
            boolean status;

            @Option(names = "--replication", required = true,
                    description = "Detailed information about the status of replication.")
            boolean replication;
        }

        @Option(names = "--human-readable", description = "With --replication: times as 'N ms ago'.")
        boolean humanReadable;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(parent.connection.adminProperties())) {
                QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get();
                if (what.status) {
                    printStatus(out, admin.describeCluster().clusterId().get(), quorum);
                } else {
                    printReplication(out, quorum, humanReadable);
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "add-controller", mixinStandardHelpOptions = true,
            description = "Add a controller to the metadata quorum's voters: the controller whose properties file "
                    + "--command-config names, started first with controller.quorum.bootstrap.servers.")
    static final class AddController implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        MetadataQuorumCommand parent;

        @Option(names = "--dry-run", description = "Print what would be done, but do not do it.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Path file = parent.connection.commandConfig;
            if (file == null) {
                throw new ParameterException(spec.commandLine(), "You must supply the configuration file of the "
                        + "controller you are adding when using add-controller.");
            }
            BrokerConfig controller = BrokerConfig.parse(BrokerConfig.load(file, List.of()));
            if (!controller.processRoles().contains("controller")) {
                throw new ParameterException(spec.commandLine(), "process.roles did not contain 'controller' in "
                        + file + ". Is this a valid controller configuration file?");
            }
            Uuid directoryId = MetaProperties.read(controller.metadataLogDir()).map(MetaProperties::directoryId)
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), "Unable to read meta.properties "
                            + "from " + controller.metadataLogDir() + ": format the controller's storage first"));
            InetSocketAddress address = controller.controllerEndpoint();
            RaftVoterEndpoint endpoint = new RaftVoterEndpoint(controller.controllerListenerName(),
                    address.getHostString(), address.getPort());
            if (!dryRun) {
                try (Admin admin = Admin.create(parent.connection.adminProperties())) {
                    admin.addRaftVoter(controller.nodeId(), directoryId, Set.of(endpoint)).all().get();
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println((dryRun ? "DRY RUN of adding" : "Added") + " controller " + controller.nodeId()
                    + " with directory id " + directoryId + " and endpoints: " + endpoint.listener() + "://"
                    + (endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host()) + ":"
                    + endpoint.port());
            out.flush();
            return 0;
        }
    }

    @Command(name = "remove-controller", mixinStandardHelpOptions = true,
            description = "Remove a controller from the metadata quorum's voters; restart it to follow the log as an "
                    + "observer, or stop it.")
    static final class RemoveController implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        MetadataQuorumCommand parent;

        @Option(names = {"--controller-id", "-i"}, required = true, description = "The id of the controller to remove.")
        int controllerId;

        @Option(names = {"--controller-directory-id", "-d"}, required = true,
                description = "The directory ID of the controller to remove.")
        String controllerDirectoryId;

        @Option(names = "--dry-run", description = "Print what would be done, but do not do it.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            if (controllerId < 0) {
                throw new ParameterException(spec.commandLine(), "Invalid negative --controller-id: " + controllerId);
            }
            Uuid directoryId;
            try {
                directoryId = Uuid.fromString(controllerDirectoryId);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Failed to parse --controller-directory-id: "
                        + e.getMessage());
            }
            if (!dryRun) {
                try (Admin admin = Admin.create(parent.connection.adminProperties())) {
                    admin.removeRaftVoter(controllerId, directoryId).all().get();
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s KRaft controller %d with directory id %s%n", dryRun ? "DRY RUN of removing " : "Removed ",
                    controllerId, directoryId);
            out.flush();
            return 0;
        }
    }

    static void printStatus(PrintWriter out, String clusterId, QuorumInfo quorum) {
        QuorumInfo.ReplicaState leader = leader(quorum);
        QuorumInfo.ReplicaState mostBehind = quorum.voters().stream()
                .min(Comparator.comparingLong(QuorumInfo.ReplicaState::logEndOffset)).orElse(leader);
        long lagTimeMs;
        if (mostBehind == leader) {
            lagTimeMs = 0;
        } else if (leader.lastCaughtUpTimestamp().isPresent() && mostBehind.lastCaughtUpTimestamp().isPresent()) {
            lagTimeMs = leader.lastCaughtUpTimestamp().getAsLong() - mostBehind.lastCaughtUpTimestamp().getAsLong();
        } else {
            lagTimeMs = -1;
        }
        out.println("ClusterId:              " + clusterId);
        out.println("LeaderId:               " + quorum.leaderId());
        out.println("LeaderEpoch:            " + quorum.leaderEpoch());
        out.println("HighWatermark:          " + quorum.highWatermark());
        out.println("MaxFollowerLag:         " + (leader.logEndOffset() - mostBehind.logEndOffset()));
        out.println("MaxFollowerLagTimeMs:   " + lagTimeMs);
        out.println("CurrentVoters:          " + replicas(quorum, quorum.voters()));
        out.println("CurrentObservers:       " + replicas(quorum, quorum.observers()));
    }

    /**
     * As Kafka prints them: {"id": 1, "directoryId": "Yp3mk7IxSbOu5Cz9X2Lq4A", "endpoints": ["CONTROLLER://host:9093"]},
     * the directory id null when the answer has none (an older server).
     */
    private static String replicas(QuorumInfo quorum, List<QuorumInfo.ReplicaState> replicas) {
        return replicas.stream().map(r -> {
            StringBuilder s = new StringBuilder("{\"id\": ").append(r.replicaId()).append(", \"directoryId\": ")
                    .append(Uuid.ZERO_UUID.equals(r.replicaDirectoryId()) ? "null" : "\"" + r.replicaDirectoryId() + "\"");
            QuorumInfo.Node node = quorum.nodes().get(r.replicaId());
            if (node != null && !node.endpoints().isEmpty()) {
                s.append(", \"endpoints\": [").append(node.endpoints().stream().map(e -> "\"" + e + "\"")
                        .collect(Collectors.joining(", "))).append("]");
            }
            return s.append("}").toString();
        }).collect(Collectors.joining(", ", "[", "]"));
    }

    static void printReplication(PrintWriter out, QuorumInfo quorum, boolean humanReadable) {
        QuorumInfo.ReplicaState leader = leader(quorum);
        Table table = new Table("NodeId", "DirectoryId", "LogEndOffset", "Lag", "LastFetchTimestamp",
                "LastCaughtUpTimestamp", "Status");
        Map<String, Stream<QuorumInfo.ReplicaState>> byStatus = new LinkedHashMap<>();
        byStatus.put("Leader", Stream.of(leader));
        byStatus.put("Follower", quorum.voters().stream().filter(v -> v.replicaId() != quorum.leaderId()));
        byStatus.put("Observer", quorum.observers().stream());
        long now = System.currentTimeMillis();
        byStatus.forEach((status, replicas) -> replicas.forEach(r -> table.row(r.replicaId(), r.replicaDirectoryId(),
                r.logEndOffset(), leader.logEndOffset() - r.logEndOffset(),
                timestamp(r.lastFetchTimestamp(), humanReadable, now),
                timestamp(r.lastCaughtUpTimestamp(), humanReadable, now), status)));
        table.printTabbed(out);
    }

    private static String timestamp(OptionalLong value, boolean humanReadable, long now) {
        if (value.isEmpty()) {
            return "-1";
        }
        return humanReadable ? (now - value.getAsLong()) + " ms ago" : Long.toString(value.getAsLong());
    }

    private static QuorumInfo.ReplicaState leader(QuorumInfo quorum) {
        return quorum.voters().stream().filter(v -> v.replicaId() == quorum.leaderId()).findFirst()
                .orElseThrow(() -> new IllegalStateException("The quorum's leader " + quorum.leaderId()
                        + " is not among its voters"));
    }
}
