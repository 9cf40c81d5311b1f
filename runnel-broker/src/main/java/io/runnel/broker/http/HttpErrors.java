package io.runnel.broker.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error answers of Runnel's HTTP services, in Confluent's shape ({@code {"error_code":404,"message":"..."}}):
 * an unknown path 404, a known path with another method 405, an over-long request line or headers 414 / 431 (Vert.x
 * answers those itself), and a failure inside a handler 500 with its message only, never a stack trace.
 */
final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    static void install(Router router) {
        router.errorHandler(404, ctx -> error(ctx, 404, "HTTP 404 Not Found: " + ctx.request().path()));
        router.errorHandler(405, ctx -> error(ctx, 405, "HTTP 405 Method Not Allowed: " + ctx.request().method()
                + " " + ctx.request().path()));
        router.errorHandler(500, ctx -> {
            LOG.warn("HTTP {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            error(ctx, 500, "Internal error");
        });
    }

    private static void error(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        AdminServer.json(ctx, status, new JsonObject().put("error_code", status).put("message", message).encode());
    }
}
