package io.runnel.it.compat;

import io.runnel.it.RunnelCluster;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/** The broker a client's {@link ClientScenario} runs against: one per test class, started before its tests. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
abstract class ClientScenarioTest {
    static RunnelCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RunnelCluster.builder().start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
