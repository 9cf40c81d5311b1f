package io.runnel.it.tools;

import io.runnel.it.tls.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The course's SASL SCRAM set-up, on three processes: the only broker listener is SASL_SSL with SCRAM-SHA-512, and
 * brokers log in to each other as "admin" ({@code security.inter.broker.protocol=SASL_SSL},
 * {@code sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512}) with the KafkaServer section of the JAAS file named by
 * {@code -Djava.security.auth.login.config}; admin exists from the start ({@code storage format --add-scram}), creates
 * user alice with {@code runnel configs --entity-type users} and a topic replicated three times, whose full ISR
 * shows the brokers replicating through their logins; alice produces and consumes with the console tools and a
 * client.properties as the course writes it; a wrong password is refused.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CourseScramClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<RunnelCli.Running> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.process.destroyForcibly());
    }

    @Test
    void brokersLogInToEachOtherWithScramAndAliceRoundTrips() throws Exception {
        TestPki pki = TestPki.create(dir);
        Path keystore = pki.server("broker").keystore("PKCS12");
        Path truststore = pki.truststore("PKCS12");
        Path jaas = Files.writeString(dir.resolve("kafka_jaas.conf"), String.join("\n",
                "KafkaServer {",
                "    org.apache.kafka.common.security.scram.ScramLoginModule required",
                "    username=\"admin\"",
                "    password=\"adminpass\";",
                "};", ""));
        RunnelCli cli = new RunnelCli(dir, List.of("-Djava.security.auth.login.config=" + jaas));
        String clusterId = cli.run("", "storage", "random-uuid").out().strip();
        String bootstrap = ThreeServerProcesses.start(cli, dir, "127.0.0.1", servers, clusterId,
                (node, ports, voters, logDirs) -> serverProperties(node, ports, voters, logDirs, keystore, truststore),
                "--add-scram", "SCRAM-SHA-512=[name=admin,password=adminpass]");

        Path admin = clientProperties("admin", "adminpass", truststore);
        RunnelCli.Result alice = cli.run("", "configs", "--bootstrap-server", bootstrap, "--command-config",
                admin.toString(), "--alter", "--add-config", "SCRAM-SHA-512=[password=alice-secret]",
                "--entity-type", "users", "--entity-name", "alice");
        assertEquals(0, alice.exitCode(), alice.err());
        RunnelCli.Result create = cli.run("", "topics", "--bootstrap-server", bootstrap, "--command-config",
                admin.toString(), "--create", "--topic", "course-scram", "--partitions", "1",
                "--replication-factor", "3", "--config", "min.insync.replicas=2");
        assertEquals(0, create.exitCode(), create.err());
        awaitCondition(WAIT, () -> isrOf(describe(cli, bootstrap, admin)).split(",").length == 3, "a full ISR");

        Path aliceConfig = clientProperties("alice", "alice-secret", truststore);
        List<String> lines = List.of("un", "deux", "trois");
        RunnelCli.Result produce = cli.run(String.join("\n", lines) + "\n", "console-producer", "--bootstrap-server",
                bootstrap, "--topic", "course-scram", "--producer.config", aliceConfig.toString(),
                "--producer-property", "acks=all");
        assertEquals(0, produce.exitCode(), produce.err());
        RunnelCli.Result consume = cli.run("", "console-consumer", "--bootstrap-server", bootstrap,
                "--topic", "course-scram", "--from-beginning", "--max-messages", "3", "--timeout-ms", "60000",
                "--consumer.config", aliceConfig.toString());
        assertEquals(lines, consume.out().lines().toList(), consume.err());

        Path wrong = clientProperties("alice", "not-her-secret", truststore);
        RunnelCli.Result refused = cli.run("", "topics", "--bootstrap-server", bootstrap, "--command-config",
                wrong.toString(), "--list");
        assertNotEquals(0, refused.exitCode(), refused.out());
        assertTrue(refused.err().contains("Authentication failed"), refused.err());
    }

    private static String describe(RunnelCli cli, String bootstrap, Path admin) {
        try {
            return cli.run("", "topics", "--bootstrap-server", bootstrap, "--command-config", admin.toString(),
                    "--describe", "--topic", "course-scram").out();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Isr column of the partition line of {@code runnel topics --describe}. */
    private static String isrOf(String described) {
        return described.lines().filter(line -> line.contains("Isr: ")).findFirst()
                .map(line -> line.substring(line.indexOf("Isr: ") + 5).split("\\s")[0]).orElse("");
    }

    /** A client.properties as the course writes it, with the login in sasl.jaas.config. */
    private Path clientProperties(String user, String password, Path truststore) throws IOException {
        return Files.writeString(dir.resolve(user + "-" + password + ".properties"), String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.location=" + truststore,
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.password=" + TestPki.PASSWORD, ""));
    }

    /** The course's broker settings for SASL SCRAM over SSL, in a KRaft server.properties. */
    private static String serverProperties(int nodeId, int[] ports, String voters, Path logDirs, Path keystore,
                                           Path truststore) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=SASL_SSL://127.0.0.1:" + ports[0] + ",CONTROLLER://127.0.0.1:" + ports[1],
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL",
                "security.inter.broker.protocol=SASL_SSL",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "ssl.keystore.location=" + keystore,
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.password=" + TestPki.PASSWORD,
                "ssl.truststore.location=" + truststore,
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.password=" + TestPki.PASSWORD,
                "log.dirs=" + logDirs,
                "offsets.topic.replication.factor=3",
                "");
    }
}
