package io.runnel.it.compat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * confluent-kafka-python (Debian's python3-confluent-kafka on librdkafka, for /usr/bin/python3, which .ci/run
 * installs) against Runnel through {@code src/test/clients/python/confluent_kafka_driver.py}: the AdminClient's topic
 * calls, an idempotent producer with keys and headers, get_watermark_offsets, offsets_for_times, a consumer group
 * whose commits committed() shows, and the group and the topic's configs as the AdminClient sees them.
 */
class ConfluentKafkaPythonCompatibilityTest extends ClientScenarioTest {
    /** Debian's package installs for the system interpreter, not for whatever python3 comes first on the PATH. */
    private static final String PYTHON = "/usr/bin/python3";

    @BeforeAll
    static void requirePython() {
        ClientCommand.requireInstalled("confluent-kafka-python", "apt-get install python3-confluent-kafka",
                PYTHON, "-c", "import confluent_kafka");
    }

    @Test
    void playsTheScenario() throws Exception {
        ClientScenario scenario = new ClientScenario("confluent-kafka-python");
        DriverReport report = scenario.play(cluster, List.of(PYTHON,
                ClientCommand.clientsDir().resolve("python").resolve("confluent_kafka_driver.py").toString()));
        scenario.assertEveryStep(report, cluster, p -> -1);
        scenario.assertIdempotent(cluster, true);
    }
}
