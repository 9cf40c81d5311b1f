package io.runnel.registry.http;

import io.runnel.http.HttpErrors;
import io.runnel.registry.RegistryException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The registry's request bodies and answers in Confluent's media types. */
final class Replies {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final HttpErrors ERRORS = new HttpErrors("Schema registry", CONTENT_TYPE, 50001);
    /** What Confluent's registry takes; a request without a content type is taken as JSON, as it does. */
    private static final Set<String> ACCEPTED = Set.of("application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json", "application/json", "application/octet-stream");

    private Replies() {
    }

    static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", CONTENT_TYPE).end(body);
    }

    static void ok(RoutingContext ctx, Object body) {
        json(ctx, 200, Json.encode(body));
    }

    /** The request's JSON object: 415 for another media type, 400 when it does not parse, 422 when not an object. */
    static JsonObject body(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type != null && !ACCEPTED.contains(type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))) {
            throw new RegistryException(415, "HTTP 415 Unsupported Media Type");
        }
        Buffer body = ctx.body().buffer();
        Object parsed = body == null || body.length() == 0 ? null : Json.decodeValue(body);
        if (parsed instanceof JsonObject object) {
            return object;
        }
        throw new RegistryException(422, "Unprocessable entity: the body must be a JSON object");
    }

    /** Answers with what the future gives, or the failure in Confluent's shape; never blocks the event loop. */
    static <T> void later(RoutingContext ctx, CompletableFuture<T> future, Function<T, Object> answer) {
        Context requestContext = ctx.vertx().getOrCreateContext();
        future.whenComplete((value, failure) -> requestContext.runOnContext(v -> {
            if (failure != null) {
                ERRORS.fail(ctx, failure);
            } else {
                ok(ctx, answer.apply(value));
            }
        }));
    }
}
