package io.runnel.testkit;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A schema registry on an ephemeral loopback port, a client of the test cluster. runnel-registry is an optional
 * dependency: its classes are touched only through {@link RegistryServer}, loaded once their presence is checked.
 */
final class TestSchemaRegistry implements AutoCloseable {
    private static final String REGISTRY_CLASS = "io.runnel.registry.SchemaRegistryServer";

    private final RegistryServer server;

    private TestSchemaRegistry(RegistryServer server) {
        this.server = server;
    }

    static TestSchemaRegistry start(String bootstrapServers) {
        requireRegistryModule();
        return new TestSchemaRegistry(RegistryServer.start(bootstrapServers));
    }

    static void requireRegistryModule() {
        if (!isPresent(REGISTRY_CLASS)) {
            throw new IllegalStateException("schemaRegistryUrl() needs the schema registry: add the test dependency "
                    + "io.runnel:runnel-registry (the same version as runnel-testkit)");
        }
    }

    static boolean isPresent(String className) {
        try {
            Class.forName(className, false, TestSchemaRegistry.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    /** The one class that names runnel-registry's types. */
    private static final class RegistryServer implements AutoCloseable {
        private final io.runnel.registry.SchemaRegistryServer server;

        private RegistryServer(io.runnel.registry.SchemaRegistryServer server) {
            this.server = server;
        }

        static RegistryServer start(String bootstrapServers) {
            try {
                return new RegistryServer(io.runnel.registry.SchemaRegistryServer.start(
                        io.runnel.registry.RegistryConfig.embedded(
                                List.of(new InetSocketAddress("127.0.0.1", 0)), bootstrapServers)));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("The schema registry did not start", e);
            }
        }

        int port() {
            return server.boundPort(0);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
