package io.runnel.proxy.http;

import io.runnel.http.HttpErrors;
import io.vertx.core.Context;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Answers of one API version in its media type; failures in Confluent's error JSON through its {@link HttpErrors}.
 * Work that waits on Kafka completes a future; the answer is written back on the request's event loop, which never
 * waits.
 */
public final class Replies {
    private final String contentType;
    private final HttpErrors errors;

    public Replies(String contentType, HttpErrors errors) {
        this.contentType = contentType;
        this.errors = errors;
    }

    public HttpErrors errors() {
        return errors;
    }

    public void ok(RoutingContext ctx, Object body) {
        send(ctx, 200, contentType, body);
    }

    public void send(RoutingContext ctx, int status, String type, Object body) {
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", type).end(Json.encode(body));
        }
    }

    public void noContent(RoutingContext ctx) {
        empty(ctx, 204);
    }

    private static void empty(RoutingContext ctx, int status) {
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().setStatusCode(status).end();
        }
    }

    /** Answers 200 with what {@code answer} makes of the future's value, or the failure. */
    public <T> void later(RoutingContext ctx, CompletionStage<T> future, Function<T, Object> answer) {
        later(ctx, future, answer, 200);
    }

    /** Answers {@code status} with what {@code answer} makes of the future's value, or the failure. */
    public <T> void later(RoutingContext ctx, CompletionStage<T> future, Function<T, Object> answer, int status) {
        whenDone(ctx, future, value -> send(ctx, status, contentType, answer.apply(value)));
    }

    /** Answers 200 with the future's value in {@code type}, or the failure. */
    public void laterAs(RoutingContext ctx, String type, CompletionStage<?> future) {
        whenDone(ctx, future, value -> send(ctx, 200, type, value));
    }

    /** Answers 204 once the future completes, or the failure. */
    public void laterNoContent(RoutingContext ctx, CompletionStage<?> future) {
        laterEmpty(ctx, future, 204);
    }

    /** Answers {@code status} with no body once the future completes, or the failure. */
    public void laterEmpty(RoutingContext ctx, CompletionStage<?> future, int status) {
        whenDone(ctx, future, value -> empty(ctx, status));
    }

    private <T> void whenDone(RoutingContext ctx, CompletionStage<T> future, Consumer<T> onValue) {
        Context requestContext = ctx.vertx().getOrCreateContext();
        future.whenComplete((value, failure) -> requestContext.runOnContext(v -> {
            if (failure != null) {
                errors.fail(ctx, failure);
                return;
            }
            try {
                onValue.accept(value);
            } catch (RuntimeException e) {
                errors.fail(ctx, e);
            }
        }));
    }
}
