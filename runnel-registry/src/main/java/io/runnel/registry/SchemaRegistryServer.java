package io.runnel.registry;

import io.runnel.registry.http.RegistryHttpServer;
import io.runnel.registry.storage.SchemaIndex;
import io.runnel.registry.storage.SchemaLog;
import java.time.Duration;

/**
 * A running schema registry: reads {@code _schemas} to its end, then serves the REST API. What {@code runnel server}
 * starts beside a broker and {@code runnel schema-registry} runs alone.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private final SchemaRegistry registry;
    private final RegistryHttpServer http;

    private SchemaRegistryServer(SchemaRegistry registry, RegistryHttpServer http) {
        this.registry = registry;
        this.http = http;
    }

    /** Creates the topic if needed and reads it before the listeners open, so no request sees a partial index. */
    public static SchemaRegistryServer start(RegistryConfig config) throws Exception {
        Duration timeout = Duration.ofMillis(config.timeoutMs());
        SchemaIndex index = new SchemaIndex();
        SchemaLog log = new SchemaLog(config.clientProperties(), config.topic(), config.replicationFactor(), index,
                timeout);
        SchemaRegistry registry = new SchemaRegistry(index, log, timeout);
        try {
            log.start(timeout);
            return new SchemaRegistryServer(registry, new RegistryHttpServer(config.http(), registry));
        } catch (Exception | Error e) {
            registry.close();
            throw e;
        }
    }

    /** The port the {@code index}th listener bound. */
    public int boundPort(int index) {
        return http.boundPort(index);
    }

    @Override
    public void close() {
        http.close();
        registry.close();
    }
}
