package io.runnel.it.tools;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three combined broker-and-controller nodes started from server.properties files as Kafka 4's KRaft documentation
 * writes them (its sample file, with a static voter set), only node ids, ports, paths and the listeners' bind address
 * (127.0.0.1 rather than every interface) changed, formatted with
 * {@code runnel storage format -t ID -c FILE} and started with {@code runnel server FILE}: they form one cluster
 * that replicates a topic three times and serves a round trip. The same with a dynamic quorum (Kafka 4's
 * controller.quorum.bootstrap.servers, formatted with {@code --initial-controllers}), which also serves after every
 * node is restarted at once.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaConfigFilesTest {

    @TempDir
    Path dir;

    private final List<RunnelCli.Running> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.process.destroyForcibly());
    }

    @Test
    void aThreeNodeClusterStartsFromKafkasConfigurationFiles() throws Exception {
        RunnelCli cli = new RunnelCli(dir);
        String clusterId = cli.run("", "storage", "random-uuid").out().strip();
        String bootstrap = ThreeServerProcesses.start(cli, dir, "localhost", servers, clusterId,
                KafkaConfigFilesTest::kafkaServerProperties);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            assertEquals(3, get(admin.describeCluster().nodes()).size(), "brokers");
            assertEquals(clusterId, get(admin.describeCluster().clusterId()));
            get(admin.createTopics(List.of(new NewTopic("from-kafka-files", 1, (short) 3))).all());
        }
        List<String> lines = List.of("one", "two", "three");
        RunnelCli.Result produce = cli.run(String.join("\n", lines) + "\n", "console-producer",
                "--bootstrap-server", bootstrap, "--topic", "from-kafka-files", "--producer-property", "acks=all");
        assertEquals(0, produce.exitCode(), produce.err());
        RunnelCli.Result consume = cli.run("", "console-consumer", "--bootstrap-server", bootstrap,
                "--topic", "from-kafka-files", "--from-beginning", "--max-messages", "3", "--timeout-ms", "60000");
        assertEquals(lines, consume.out().lines().toList(), consume.err());
    }

    @Test
    void aDynamicQuorumFormattedWithInitialControllersServesAndRestartsWhole() throws Exception {
        RunnelCli cli = new RunnelCli(dir);
        String clusterId = cli.run("", "storage", "random-uuid").out().strip();
        String bootstrap = ThreeServerProcesses.start(cli, dir, "localhost", servers, clusterId,
                KafkaConfigFilesTest::kafkaDynamicQuorumProperties,
                voters -> List.of("--initial-controllers", Arrays.stream(voters.split(","))
                        .map(voter -> voter + ":" + Uuid.randomUuid()).collect(Collectors.joining(","))));
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            assertEquals(Set.of(1, 2, 3), voterIds(admin));
            get(admin.createTopics(List.of(new NewTopic("dynamic-quorum", 1, (short) 3))).all());
        }
        produce(cli, bootstrap, "dynamic-quorum", List.of("one", "two"));

        // Every controller at once: none can ask another for the voters, each starts with those it recorded.
        ThreeServerProcesses.restartAll(cli, servers);
        produce(cli, bootstrap, "dynamic-quorum", List.of("three"));
        try (Admin admin = Admin.create(props)) {
            assertEquals(Set.of(1, 2, 3), voterIds(admin));
        }
        RunnelCli.Result consume = cli.run("", "console-consumer", "--bootstrap-server", bootstrap,
                "--topic", "dynamic-quorum", "--from-beginning", "--max-messages", "3", "--timeout-ms", "60000");
        assertEquals(List.of("one", "two", "three"), consume.out().lines().toList(), consume.err());
    }

    private static Set<Integer> voterIds(Admin admin) throws Exception {
        return get(admin.describeMetadataQuorum().quorumInfo()).voters().stream().map(QuorumInfo.ReplicaState::replicaId)
                .collect(Collectors.toSet());
    }

    private static void produce(RunnelCli cli, String bootstrap, String topic, List<String> lines) throws Exception {
        RunnelCli.Result produce = cli.run(String.join("\n", lines) + "\n", "console-producer",
                "--bootstrap-server", bootstrap, "--topic", topic, "--producer-property", "acks=all");
        assertEquals(0, produce.exitCode(), produce.err());
    }

    /**
     * Kafka 4's config/server.properties for a combined node of a dynamic quorum, as its documentation writes it for
     * several controllers: the controllers in controller.quorum.bootstrap.servers, the first voters given to the
     * format command with --initial-controllers.
     */
    private static String kafkaDynamicQuorumProperties(int nodeId, int[] ports, String voters, Path logDirs) {
        String bootstrapServers = Arrays.stream(voters.split(",")).map(v -> v.substring(v.indexOf('@') + 1))
                .collect(Collectors.joining(","));
        return kafkaServerProperties(nodeId, ports, voters, logDirs)
                .replace("controller.quorum.voters=" + voters, "controller.quorum.bootstrap.servers=" + bootstrapServers);
    }

    /**
     * Kafka 4's config/server.properties for a combined node, keys and values as Kafka ships them, with the
     * controller.quorum.voters of a static three-voter quorum.
     */
    private static String kafkaServerProperties(int nodeId, int[] ports, String voters, Path logDirs) {
        return String.join("\n",
                "############################# Server Basics #############################",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "############################# Socket Server Settings #############################",
                "listeners=PLAINTEXT://127.0.0.1:" + ports[0] + ",CONTROLLER://127.0.0.1:" + ports[1],
                "inter.broker.listener.name=PLAINTEXT",
                "advertised.listeners=PLAINTEXT://localhost:" + ports[0] + ",CONTROLLER://localhost:" + ports[1],
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,"
                        + "SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
                "num.network.threads=3",
                "num.io.threads=8",
                "socket.send.buffer.bytes=102400",
                "socket.receive.buffer.bytes=102400",
                "socket.request.max.bytes=104857600",
                "############################# Log Basics #############################",
                "log.dirs=" + logDirs,
                "num.partitions=1",
                "num.recovery.threads.per.data.dir=1",
                "############################# Internal Topic Settings  #############################",
                "offsets.topic.replication.factor=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "############################# Log Retention Policy #############################",
                "log.retention.hours=168",
                "log.segment.bytes=1073741824",
                "log.retention.check.interval.ms=300000",
                "");
    }
}
