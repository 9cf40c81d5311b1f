package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Older kafka-clients against Runnel, each in a JVM of its own running {@code src/test/clients/java/KafkaClientsDriver.java}
 * on that version's jar (the pom copies each into target/kafka-clients/&lt;version&gt;): Admin topic calls, a keyed
 * producer with headers (idempotent from 3.0 by default, made idempotent on 2.8, 2.1's default acks=1 producer),
 * beginning / end / time offsets, seek, consumer groups, the group listed and described, a topic's configs, and a
 * topic grown and deleted.
 */
class OldKafkaClientsCompatibilityTest extends ClientScenarioTest {
    /** Each version with its default group protocol (classic), and the newest also with KIP-848's consumer protocol. */
    static Stream<Arguments> versions() {
        String versions = System.getProperty("runnel.it.old-kafka-clients");
        assertNotNull(versions, "runnel.it.old-kafka-clients is unset: run through Maven (mvn -B verify), whose pom "
                + "lists the versions and copies their jars");
        List<String> list = List.of(versions.split(","));
        return Stream.concat(list.stream().map(v -> Arguments.of(v, "classic")),
                Stream.of(Arguments.of(list.get(list.size() - 1), "consumer")));
    }

    @ParameterizedTest(name = "kafka-clients {0}, group.protocol={1}")
    @MethodSource("versions")
    void playsTheScenario(String version, String groupProtocol) throws Exception {
        ClientScenario scenario = new ClientScenario("kafka-clients-" + version.replace('.', '-') + "-" + groupProtocol);
        boolean madeIdempotent = version.startsWith("2.8.");
        List<String> driverArgs = new ArrayList<>(List.of(madeIdempotent ? "true" : "default",
                Long.toString(ClientScenario.SEEK_OFFSET)));
        if (groupProtocol.equals("consumer")) {
            driverArgs.add(groupProtocol);
        }
        DriverReport report = scenario.play(cluster, List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath(version),
                        ClientCommand.clientsDir().resolve("java").resolve("KafkaClientsDriver.java").toString()),
                driverArgs.toArray(String[]::new));

        scenario.assertEveryStep(report, cluster, p -> -1);
        scenario.assertSought(report);
        scenario.assertGroupType(cluster, GroupType.parse(groupProtocol));
        // Idempotence is kafka-clients' default from 3.0 on.
        scenario.assertIdempotent(cluster, madeIdempotent || !version.startsWith("2."));
    }

    /** The version's jar and an slf4j binding, as the pom copied them. */
    private static String classPath(String version) {
        Path dir = Paths.get(System.getProperty("runnel.it.old-kafka-clients.dir", "target/kafka-clients"));
        Path jar = dir.resolve(version).resolve("kafka-clients-" + version + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: mvn -B verify copies it (maven-dependency-plugin)");
        return jar + File.pathSeparator + dir.resolve("slf4j").resolve("*");
    }
}
