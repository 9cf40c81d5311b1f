package io.runnel.registry.http;

import io.runnel.registry.SchemaRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's HTTP listeners. Requests are bounded (line, headers, a body of {@link #MAX_BODY_BYTES}, which is
 * also below the broker's default record size limit) and idle connections closed, so no client can hold the
 * registry or the broker it runs in.
 */
public final class RegistryHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpServer.class);
    static final int MAX_BODY_BYTES = 512 * 1024;
    private static final int IDLE_TIMEOUT_SECONDS = 60;
    private static final int MAX_INITIAL_LINE = 8192;
    private static final int MAX_HEADERS = 8192;
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();

    /** Binds every listener now; one that cannot bind fails start-up with its address. */
    public RegistryHttpServer(List<InetSocketAddress> listeners, SchemaRegistry registry) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        Router router = Router.router(vertx);
        // No file uploads: nothing a client sends is written to disk.
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        new RegistryRoutes(registry).install(router);
        RegistryErrors.install(router);
        try {
            for (InetSocketAddress address : listeners) {
                HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setIdleTimeout(IDLE_TIMEOUT_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS)
                        .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADERS))
                        .requestHandler(router);
                servers.add(server.listen(address.getPort(), address.getHostString())
                        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                LOG.info("Schema registry listening on http://{}:{}", address.getHostString(), server.actualPort());
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("The schema registry could not listen: " + e.getMessage(), e);
        }
    }

    /** The port the {@code index}th listener bound (the real one when it asked for port 0). */
    public int boundPort(int index) {
        return servers.get(index).actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Closing the schema registry's HTTP listeners failed", e);
        }
    }
}
