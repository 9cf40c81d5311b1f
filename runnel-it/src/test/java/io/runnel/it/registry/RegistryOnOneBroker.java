package io.runnel.it.registry;

import io.runnel.it.RunnelCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's one broker and the schema registry over it, started before its tests and closed after them. */
public abstract class RegistryOnOneBroker {
    protected static RunnelCluster cluster;
    protected static RegistryHttp registry;

    @BeforeAll
    protected static void startBrokerAndRegistry() throws Exception {
        cluster = RunnelCluster.builder().start();
        registry = RegistryHttp.start(cluster.bootstrapServers());
    }

    @AfterAll
    protected static void stopRegistryAndBroker() {
        if (registry != null) {
            registry.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
