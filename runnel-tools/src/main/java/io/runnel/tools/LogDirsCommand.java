package io.runnel.tools;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code runnel log-dirs}: kafka-log-dirs.sh, each broker's log directories with the partitions in them, as Kafka's
 * one JSON line. The directories and partitions come in the order of the Admin client's hash maps, as Kafka's tool
 * prints them, so that the two tools' lines are equal.
 */
@Command(name = "log-dirs", mixinStandardHelpOptions = true,
        description = "Query the log directory usage on the given brokers.")
final class LogDirsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    AdminOptions connection;

    @Option(names = "--describe", required = true,
            description = "Describe the specified log directories on the specified brokers.")
    boolean describe;

    @Option(names = "--topic-list", paramLabel = "TOPICS", defaultValue = "", description = "The list of topics to be "
            + "queried in the form \"topic1,topic2,topic3\". All topics will be queried if no topic list is specified")
    String topicList;

    @Option(names = "--broker-list", paramLabel = "BROKERS", defaultValue = "", description = "The list of brokers to "
            + "be queried in the form \"0,1,2\". All brokers in the cluster will be queried if no broker list is specified")
    String brokerList;

    @Override
    public Integer call() throws Exception {
        Set<String> topics = new TreeSet<>(split(topicList));
        Set<Integer> asked = brokerIds();
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = Admin.create(connection.adminProperties())) {
            Set<Integer> cluster = admin.describeCluster().nodes().get().stream().map(Node::id)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> missing = new TreeSet<>(asked);
            missing.removeAll(cluster);
            if (!missing.isEmpty()) {
                spec.commandLine().getErr().println("ERROR: The given brokers do not exist from --broker-list: "
                        + commaSeparated(missing) + ". Current existent brokers: " + commaSeparated(cluster));
                return 1;
            }
            Set<Integer> brokers = asked.isEmpty() ? cluster : asked;
            out.println("Querying brokers for log directories information");
            Map<Integer, Map<String, LogDirDescription>> described = admin.describeLogDirs(brokers)
                    .allDescriptions().get();
            out.println("Received log directory information from brokers " + commaSeparated(brokers));
            out.println(json(described, topics));
        }
        return 0;
    }

    private Set<Integer> brokerIds() {
        Set<Integer> ids = new TreeSet<>();
        for (String id : split(brokerList)) {
            try {
                ids.add(Integer.valueOf(id));
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "Invalid broker id in --broker-list: " + id);
            }
        }
        return ids;
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).filter(s -> !s.isEmpty()).toList();
    }

    private static String commaSeparated(Set<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** {"brokers":[{"broker":1,"logDirs":[{"partitions":[...],"error":null,"logDir":"/path"}]}],"version":1}. */
    static String json(Map<Integer, Map<String, LogDirDescription>> described, Set<String> topics) {
        List<JsonLine> brokers = new ArrayList<>();
        new TreeSet<>(described.keySet()).forEach(broker -> {
            List<JsonLine> dirs = new ArrayList<>();
            described.get(broker).forEach((path, dir) -> dirs.add(new JsonLine()
                    .put("partitions", partitions(dir.replicaInfos(), topics))
                    .put("error", dir.error() == null ? null : dir.error().getClass().getName())
                    .put("logDir", path)));
            brokers.add(new JsonLine().put("broker", broker).put("logDirs", dirs));
        });
        return new JsonLine().put("brokers", brokers).put("version", 1).toString();
    }

    private static List<JsonLine> partitions(Map<TopicPartition, ReplicaInfo> replicas, Set<String> topics) {
        // Kafka's tool collects the kept replicas into a new HashMap: their order is that map's.
        Map<TopicPartition, ReplicaInfo> kept = new HashMap<>();
        replicas.forEach((tp, replica) -> {
            if (topics.isEmpty() || topics.contains(tp.topic())) {
                kept.put(tp, replica);
            }
        });
        List<JsonLine> partitions = new ArrayList<>();
        kept.forEach((tp, replica) -> partitions.add(new JsonLine().put("partition", tp.toString())
                .put("size", replica.size()).put("offsetLag", replica.offsetLag()).put("isFuture", replica.isFuture())));
        return partitions;
    }
}
