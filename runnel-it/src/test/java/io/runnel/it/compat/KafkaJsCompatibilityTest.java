package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KafkaJS (the version package-lock.json pins, installed by {@code npm ci} in src/test/clients/kafkajs, which
 * .ci/run runs) against Runnel through {@code kafkajs-driver.js}: the admin's topic calls, a producer with keys and
 * headers, admin.fetchTopicOffsets, admin.fetchTopicOffsetsByTimestamp, a consumer group that consumes everything
 * and commits, and the group and the topic's configs as the admin describes them.
 */
class KafkaJsCompatibilityTest extends ClientScenarioTest {
    private static final Path DIR = ClientCommand.clientsDir().resolve("kafkajs");

    @BeforeAll
    static void requireKafkaJs() {
        ClientCommand.requireInstalled("node", "apt-get install nodejs", "node", "--version");
        if (!Files.isRegularFile(DIR.resolve("node_modules").resolve("kafkajs").resolve("package.json"))) {
            fail("KafkaJS is not installed: run npm ci in " + DIR + "; .ci/run does");
        }
    }

    @Test
    void playsTheScenario() throws Exception {
        ClientScenario scenario = new ClientScenario("kafkajs");
        DriverReport report = scenario.play(cluster, List.of("node", DIR.resolve("kafkajs-driver.js").toString()));
        // KafkaJS answers the end offset where no record is at or after the time asked.
        scenario.assertEveryStep(report, cluster, scenario::endOffset);
        scenario.assertIdempotent(cluster, false);
    }
}
