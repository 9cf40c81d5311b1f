package io.runnel.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's failures as Confluent's error JSON ({@code {"error_code":40401,"message":"..."}}): an
 * {@link HttpException}'s own code, 400 for JSON that does not parse, 422 for a field of the wrong type, 404 / 405 /
 * 413 / 415 for what Vert.x refuses before a handler runs (414 / 431 it answers itself), and 500 with the service's
 * internal error code and no detail, never a stack trace, for anything unexpected.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private final String service;
    private final String contentType;
    private final int internalErrorCode;

    /** {@code service} names it in the log; errors are answered as {@code contentType}. */
    public HttpErrors(String service, String contentType, int internalErrorCode) {
        this.service = service;
        this.contentType = contentType;
        this.internalErrorCode = internalErrorCode;
    }

    void install(Router router) {
        for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
            router.errorHandler(status, this::failed);
        }
    }

    /**
     * Answers a request that failed on its way through the router: with its exception when it has one, else with
     * the status Vert.x set (a body too large, a media type no route takes). Also a failure handler of a sub-API
     * whose errors take another media type.
     */
    public void failed(RoutingContext ctx) {
        if (ctx.failure() != null) {
            fail(ctx, ctx.failure());
            return;
        }
        int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
        switch (status) {
            case 400 -> send(ctx, 400, 400, "Bad request");
            case 404 -> send(ctx, 404, 404, "HTTP 404 Not Found");
            case 405 -> send(ctx, 405, 405, "HTTP 405 Method Not Allowed");
            case 413 -> send(ctx, 413, 413, "Request body too large");
            case 415 -> send(ctx, 415, 415, "HTTP 415 Unsupported Media Type");
            case 500 -> send(ctx, 500, internalErrorCode, "Internal error");
            default -> send(ctx, status, status, "HTTP " + status);
        }
    }

    /** Answers a failed request: its Confluent code when it has one. */
    public void fail(RoutingContext ctx, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpException e) {
            send(ctx, e.httpStatus(), e.errorCode(), e.getMessage());
        } else if (cause instanceof DecodeException e) {
            send(ctx, 400, 400, "Unrecognized JSON: " + e.getMessage());
        } else if (cause instanceof ClassCastException) {
            // A JSON field of the wrong type ({"schema": 5}): the body's fault, as Jackson's mapping errors are.
            send(ctx, 422, 422, "Unprocessable entity: a field of the body has the wrong type");
        } else {
            LOG.warn("{}: {} {} failed", service, ctx.request().method(), ctx.request().path(), cause);
            send(ctx, 500, internalErrorCode, "Internal error");
        }
    }

    /** Answers {@code {"error_code":errorCode,"message":message}} with {@code status}, unless already answered. */
    public void send(RoutingContext ctx, int status, int errorCode, String message) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", contentType)
                .end(new JsonObject().put("error_code", errorCode).put("message", message).encode());
    }
}
