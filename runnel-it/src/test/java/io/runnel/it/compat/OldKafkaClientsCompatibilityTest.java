package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.RunnelCluster;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Older kafka-clients against Runnel, each in a JVM of its own running {@code src/test/clients/java/KafkaClientsDriver.java}
 * on that version's jar (the pom copies each into target/kafka-clients/&lt;version&gt;): Admin topic calls, a keyed
 * producer with headers (idempotent from 3.0 by default, made idempotent on 2.8, 2.1's default acks=1 producer),
 * beginning / end / time offsets, seek, a consumer group that commits, the group listed and described, a topic's
 * configs, and a topic grown and deleted.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class OldKafkaClientsCompatibilityTest {
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Stream<String> versions() {
        String versions = System.getProperty("runnel.it.old-kafka-clients");
        assertNotNull(versions, "runnel.it.old-kafka-clients is unset: run through Maven (mvn -B verify), whose pom "
                + "lists the versions and copies their jars");
        return Arrays.stream(versions.split(","));
    }

    @ParameterizedTest(name = "kafka-clients {0}")
    @MethodSource("versions")
    void runsTheScenario(String version) throws Exception {
        ClientScenario scenario = new ClientScenario("kafka-clients-" + version.replace('.', '-'));
        boolean idempotentByDefault = !version.startsWith("2.");
        boolean madeIdempotent = version.startsWith("2.8.");

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classPath(version),
                ClientCommand.clientsDir().resolve("java").resolve("KafkaClientsDriver.java").toString()));
        command.addAll(scenario.args(cluster));
        command.add(madeIdempotent ? "true" : "default");
        command.add(Long.toString(ClientScenario.SEEK_OFFSET));
        ClientScenario.Report report = ClientScenario.Report.of(ClientCommand.run(null, command));

        scenario.assertTopicCreated(report, cluster);
        scenario.assertSent(report);
        scenario.assertBeginningAndEndOffsets(report);
        scenario.assertOffsetsForTimes(report, p -> -1);
        scenario.assertSought(report);
        scenario.assertConsumedAndCommitted(report);
        scenario.assertStored(cluster);
        scenario.assertCommittedVisible(cluster);
        scenario.assertPairShared(report);
        scenario.assertGroupConfigAndScratchTopic(report);

        TreeSet<Long> producerIds = scenario.producerIds(cluster);
        if (idempotentByDefault || madeIdempotent) {
            assertEquals(1, producerIds.size(), "one idempotent producer: " + producerIds);
            assertTrue(producerIds.first() >= 0, "an idempotent producer's batches carry its id: " + producerIds);
        } else {
            assertEquals(Set.of(-1L), producerIds, "batches of a producer without idempotence");
        }
    }

    /** The version's jar and an slf4j binding, as the pom copied them. */
    private static String classPath(String version) {
        Path dir = Paths.get(System.getProperty("runnel.it.old-kafka-clients.dir", "target/kafka-clients"));
        Path jar = dir.resolve(version).resolve("kafka-clients-" + version + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: mvn -B verify copies it (maven-dependency-plugin)");
        return jar + File.pathSeparator + dir.resolve("slf4j").resolve("*");
    }
}
