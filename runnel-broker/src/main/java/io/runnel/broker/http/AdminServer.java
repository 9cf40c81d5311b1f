package io.runnel.broker.http;

import io.runnel.broker.metrics.PrometheusMetrics;
import io.runnel.http.HttpEndpoints;
import io.runnel.http.HttpErrors;
import io.runnel.http.HttpService;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/**
 * The admin HTTP endpoint ({@code admin.listeners}): {@code /v1/status/live} (200 while the process runs) and
 * {@code /v1/status/ready} (200 once this node serves, 503 before), for orchestrators' probes, and {@code /metrics},
 * the node's metrics in Prometheus' text format or OpenMetrics (see {@link PrometheusMetrics}). Anything else gets a
 * 4xx with a JSON error in Confluent's shape, never a stack trace.
 */
public final class AdminServer implements AutoCloseable {
    private static final String JSON = "application/json";
    /** GETs only: no body is read; one worker thread for scrapes. */
    private static final HttpService.Limits LIMITS = new HttpService.Limits(1, 30, 4096, 8192, 0);

    private final HttpService http;

    /** Binds every listener now; a listener that cannot bind fails start-up with its address. */
    public AdminServer(HttpEndpoints endpoints, BooleanSupplier ready, PrometheusMetrics metrics) {
        http = new HttpService("The admin endpoint (admin.listeners)", endpoints, LIMITS,
                new HttpErrors("Admin endpoint", JSON, 500), router -> routes(router, ready, metrics));
    }

    private static void routes(Router router, BooleanSupplier ready, PrometheusMetrics metrics) {
        router.get("/v1/status/live").handler(ctx -> json(ctx, 200, "{\"status\":\"live\"}"));
        router.get("/v1/status/ready").handler(ctx -> {
            if (ready.getAsBoolean()) {
                json(ctx, 200, "{\"status\":\"ready\"}");
            } else {
                json(ctx, 503, "{\"status\":\"starting\"}");
            }
        });
        router.get("/metrics").handler(ctx -> scrape(ctx, metrics));
    }

    /** The port the {@code index}th listener bound (the real one when it asked for port 0). */
    public int boundPort(int index) {
        return http.boundPort(index);
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

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body);
    }

    @Override
    public void close() {
        http.close();
    }
}
