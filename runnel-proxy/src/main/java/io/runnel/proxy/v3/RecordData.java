package io.runnel.proxy.v3;

import io.runnel.http.HttpException;
import io.runnel.proxy.ClusterClients;
import io.runnel.proxy.RestErrors;
import io.runnel.proxy.format.AvroJson;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A v3 record's key or value, {@code {"type":"BINARY|JSON|STRING|AVRO","data":..}} (AVRO with {@code schema} or
 * {@code schema_id}, and optionally {@code subject}, else {@code <topic>-key} / {@code <topic>-value}), as record
 * bytes, and what the answer says of it ({@code {"type":..,"size":..}}, with the subject and schema id for AVRO).
 */
record RecordData(byte[] bytes, JsonObject description) {
    /** Null data: a null key or value, which the answer shows as null. */
    static final RecordData NONE = new RecordData(null, null);

    static CompletableFuture<RecordData> encode(ClusterClients clients, String topic, boolean isKey, Object given) {
        if (given == null) {
            return CompletableFuture.completedFuture(NONE);
        }
        if (!(given instanceof JsonObject data)) {
            throw badRequest((isKey ? "key" : "value") + " must be an object with a type and data");
        }
        boolean hasSchema = data.getValue("schema") != null || data.getValue("schema_id") != null;
        String type = data.getString("type", hasSchema ? "AVRO" : null);
        if (type == null) {
            throw badRequest((isKey ? "key" : "value") + ".type is required (BINARY, JSON, STRING or AVRO)");
        }
        Object payload = data.getValue("data");
        switch (type.toUpperCase(Locale.ROOT)) {
            case "BINARY":
                if (payload != null && !(payload instanceof String)) {
                    throw badRequest("BINARY data must be a base64 string");
                }
                try {
                    return done("BINARY", payload == null ? null : Base64.getDecoder().decode((String) payload));
                } catch (IllegalArgumentException e) {
                    throw badRequest("BINARY data is not valid base64: " + e.getMessage());
                }
            case "JSON":
                return done("JSON", payload == null ? null : Json.encode(payload).getBytes(StandardCharsets.UTF_8));
            case "STRING":
                if (payload != null && !(payload instanceof String)) {
                    throw badRequest("STRING data must be a string");
                }
                return done("STRING", payload == null ? null : ((String) payload).getBytes(StandardCharsets.UTF_8));
            case "AVRO":
                return avro(clients, data.getString("subject", topic + (isKey ? "-key" : "-value")), data, payload);
            default:
                throw badRequest("type " + type + " is not one of BINARY, JSON, STRING, AVRO");
        }
    }

    private static CompletableFuture<RecordData> avro(ClusterClients clients, String subject, JsonObject data,
                                                      Object payload) {
        Object schemaId = data.getValue("schema_id");
        CompletableFuture<Integer> id;
        if (schemaId != null) {
            if (!(schemaId instanceof Integer given)) {
                throw badRequest("schema_id must be an integer");
            }
            id = CompletableFuture.completedFuture(given);
        } else if (data.getValue("schema") instanceof String text) {
            Schema parsed;
            try {
                parsed = new Schema.Parser().parse(text);
            } catch (SchemaParseException e) {
                throw RestErrors.invalidSchema(e.getMessage());
            }
            id = clients.registry().register(subject, parsed);
        } else {
            throw badRequest("AVRO data needs a schema (a string) or a schema_id");
        }
        return id.thenCompose(i -> clients.registry().schema(i).thenApply(schema -> {
            byte[] bytes = AvroJson.toWire(i, schema, payload);
            return new RecordData(bytes, new JsonObject().put("type", "AVRO").put("subject", subject)
                    .put("schema_id", i).put("size", bytes.length));
        }));
    }

    private static CompletableFuture<RecordData> done(String type, byte[] bytes) {
        return CompletableFuture.completedFuture(new RecordData(bytes, new JsonObject().put("type", type)
                .put("size", bytes == null ? 0 : bytes.length)));
    }

    static HttpException badRequest(String detail) {
        return new HttpException(400, "Bad Request: " + detail);
    }
}
