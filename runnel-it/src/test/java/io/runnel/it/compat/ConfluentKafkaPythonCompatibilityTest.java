package io.runnel.it.compat;

import io.runnel.it.RunnelCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * confluent-kafka-python (Debian's python3-confluent-kafka on librdkafka, for /usr/bin/python3, which .ci/run
 * installs) against Runnel through {@code src/test/clients/python/confluent_kafka_driver.py}: the AdminClient's topic
 * calls, an idempotent producer with keys and headers, get_watermark_offsets, offsets_for_times, a consumer group
 * whose commits committed() shows, and the group and the topic's configs as the AdminClient sees them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConfluentKafkaPythonCompatibilityTest {
    /** Debian's package installs for the system interpreter, not for whatever python3 comes first on the PATH. */
    private static final String PYTHON = "/usr/bin/python3";
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python", "apt-get install python3-confluent-kafka",
                PYTHON, "-c", "import confluent_kafka");
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
        ClientScenario scenario = new ClientScenario("confluent-kafka-python");
        List<String> command = new ArrayList<>(List.of(PYTHON,
                ClientCommand.clientsDir().resolve("python").resolve("confluent_kafka_driver.py").toString()));
        command.addAll(scenario.args(cluster));
        ClientScenario.Report report = ClientScenario.Report.of(ClientCommand.run(null, command));

        scenario.assertTopicCreated(report, cluster);
        scenario.assertSent(report);
        scenario.assertBeginningAndEndOffsets(report);
        scenario.assertOffsetsForTimes(report, p -> -1);
        scenario.assertConsumedAndCommitted(report);
        scenario.assertStored(cluster);
        scenario.assertCommittedVisible(cluster);
        scenario.assertPairShared(report);
        scenario.assertGroupConfigAndScratchTopic(report);
        var producerIds = scenario.producerIds(cluster);
        assertEquals(1, producerIds.size(), "one idempotent producer: " + producerIds);
        assertTrue(producerIds.first() >= 0, "an idempotent producer's batches carry its id: " + producerIds);
    }
}
