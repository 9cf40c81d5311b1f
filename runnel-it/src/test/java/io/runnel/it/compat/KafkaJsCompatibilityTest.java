package io.runnel.it.compat;

import io.runnel.it.RunnelCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * KafkaJS (the version package-lock.json pins, installed by {@code npm ci} in src/test/clients/kafkajs, which
 * .ci/run runs) against Runnel through {@code kafkajs-driver.js}: the admin's topic calls, a producer with keys and
 * headers, admin.fetchTopicOffsets, admin.fetchTopicOffsetsByTimestamp, a consumer group that consumes everything
 * and commits, and the group and the topic's configs as the admin describes them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaJsCompatibilityTest {
    private static final Path DIR = ClientCommand.clientsDir().resolve("kafkajs");
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        ClientCommand.requireInstalled("node", "apt-get install nodejs", "node", "--version");
        if (!Files.isRegularFile(DIR.resolve("node_modules").resolve("kafkajs").resolve("package.json"))) {
            fail("KafkaJS is not installed: run npm ci in " + DIR + "; .ci/run does");
        }
        cluster = RunnelCluster.builder().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void runsTheScenario() throws Exception {
        ClientScenario scenario = new ClientScenario("kafkajs");
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve("kafkajs-driver.js").toString()));
        command.addAll(scenario.args(cluster));
        ClientScenario.Report report = ClientScenario.Report.of(ClientCommand.run(null, command));

        scenario.assertTopicCreated(report, cluster);
        scenario.assertSent(report);
        scenario.assertBeginningAndEndOffsets(report);
        // KafkaJS answers the end offset where no record is at or after the time asked.
        scenario.assertOffsetsForTimes(report, scenario::endOffset);
        scenario.assertConsumedAndCommitted(report);
        scenario.assertStored(cluster);
        scenario.assertCommittedVisible(cluster);
        scenario.assertPairShared(report);
        scenario.assertGroupConfigAndScratchTopic(report);
        assertEquals(Set.of(-1L), scenario.producerIds(cluster), "KafkaJS's default producer is not idempotent");
    }
}
