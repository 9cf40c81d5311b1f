package io.runnel.broker.http;

import io.runnel.broker.metrics.PrometheusMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint ({@code admin.listeners}): {@code /v1/status/live} (200 while the process runs) and
 * {@code /v1/status/ready} (200 once this node serves, 503 before), for orchestrators' probes, and {@code /metrics},
 * the node's metrics in Prometheus' text format or OpenMetrics (see {@link PrometheusMetrics}). Anything else gets a
 * 4xx with a JSON error in Confluent's shape, never a stack trace; requests are bounded (line, headers) and an idle
 * connection is closed, so no client can hold the endpoint or the broker.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int IDLE_TIMEOUT_SECONDS = 30;
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();

    /** Binds every listener now; a listener that cannot bind fails start-up with its address. */
    public AdminServer(List<InetSocketAddress> listeners, BooleanSupplier ready, PrometheusMetrics metrics) {
        // One event loop: a handful of probe and scrape requests; no file cache directory in the working dir.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        Router router = Router.router(vertx);
        router.get("/v1/status/live").handler(ctx -> json(ctx, 200, "{\"status\":\"live\"}"));
        router.get("/v1/status/ready").handler(ctx -> {
            if (ready.getAsBoolean()) {
                json(ctx, 200, "{\"status\":\"ready\"}");
            } else {
                json(ctx, 503, "{\"status\":\"starting\"}");
            }
        });
        router.get("/metrics").handler(ctx -> scrape(ctx, metrics));
        HttpErrors.install(router);
        try {
            for (InetSocketAddress address : listeners) {
                HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setIdleTimeout(IDLE_TIMEOUT_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS)
                        .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADERS))
                        .requestHandler(router);
                servers.add(server.listen(address.getPort(), address.getHostString())
                        .await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                LOG.info("Admin endpoint listening on http://{}:{}", address.getHostString(), server.actualPort());
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("The admin endpoint (admin.listeners) could not listen: " + e.getMessage(), e);
        }
    }

    /** The port the {@code index}th listener bound (the real one when it asked for port 0). */
    public int boundPort(int index) {
        return servers.get(index).actualPort();
    }

    /**
     * Reads the metrics on the worker thread: a scrape reads every partition log's gauges and walks the metadata
     * image, which must not hold up the event loop's probes.
     */
    private static void scrape(RoutingContext ctx, PrometheusMetrics metrics) {
        String accept = ctx.request().getHeader("Accept");
        ctx.vertx().executeBlocking(() -> metrics.scrape(accept == null ? "" : accept)).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
            } else if (!ctx.response().closed()) {
                ctx.response().putHeader("Content-Type", result.result().contentType())
                        .end(Buffer.buffer(result.result().body()));
            }
        });
    }

    static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    @Override
    public void close() {
        try {
            vertx.close().await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Closing the admin endpoint failed", e);
        }
    }
}
