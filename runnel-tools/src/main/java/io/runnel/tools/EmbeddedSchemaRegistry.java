package io.runnel.tools;

import io.runnel.broker.RunnelServer;
import io.runnel.broker.config.BrokerConfig;
import io.runnel.registry.RegistryConfig;
import io.runnel.registry.SchemaRegistryServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry {@code runnel server} runs beside the broker when {@code schema.registry.listeners} is set: a
 * client of the broker's own PLAINTEXT listener, started once the broker serves. It never stops the broker: a
 * registry that cannot start is logged and left off.
 */
final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private final BrokerConfig config;
    private volatile SchemaRegistryServer registry;

    EmbeddedSchemaRegistry(BrokerConfig config) {
        this.config = config;
    }

    void start(RunnelServer server) {
        if (config.schemaRegistryHttp().listeners().isEmpty()) {
            return;
        }
        String bootstrap = LocalBootstrap.of(config, server);
        if (bootstrap == null) {
            LOG.error("The schema registry is not started: it needs a PLAINTEXT broker listener to reach this "
                    + "broker; run it alone with `runnel schema-registry` and kafkastore.* security settings");
            return;
        }
        try {
            registry = SchemaRegistryServer.start(RegistryConfig.embedded(config.schemaRegistryHttp(), bootstrap));
        } catch (Exception e) {
            LOG.error("The schema registry could not start; the broker serves on without it", e);
        }
    }

    /** For the start-up line: where the registry listens, or nothing when it is off. */
    String describe() {
        String url = url();
        return url == null ? "" : "; schema registry " + url;
    }

    /** http(s)://host:port of the running registry, null when it is off. */
    String url() {
        SchemaRegistryServer running = registry;
        return running == null ? null : config.schemaRegistryHttp().url(0, running.boundPort(0));
    }

    @Override
    public void close() {
        SchemaRegistryServer running = registry;
        if (running != null) {
            running.close();
        }
    }
}
