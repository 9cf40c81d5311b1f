package io.runnel.proxy.http;

import io.runnel.http.HttpException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;

/** Request media types and JSON bodies as Confluent's proxy takes them. */
public final class Bodies {
    private Bodies() {
    }

    /** The request's media type without parameters, lower case; null when it sent none. */
    public static String mediaType(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    /** 415 unless the request's media type is one of {@code accepted}. */
    public static String requireMediaType(RoutingContext ctx, Set<String> accepted) {
        String type = mediaType(ctx);
        if (type == null || !accepted.contains(type)) {
            throw new HttpException(415, "HTTP 415 Unsupported Media Type");
        }
        return type;
    }

    /** The body as a JSON object: 400 when it does not parse, 422 when it is not an object; empty when absent. */
    public static JsonObject object(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return new JsonObject();
        }
        Object parsed = Json.decodeValue(body);
        if (parsed instanceof JsonObject object) {
            return object;
        }
        throw new HttpException(422, "Unprocessable entity: the body must be a JSON object");
    }
}
