package io.runnel.proxy.v2;

import io.runnel.http.HttpException;
import io.runnel.proxy.ClusterClients;
import io.runnel.proxy.RestErrors;
import io.runnel.proxy.format.AvroJson;
import io.runnel.proxy.format.EmbeddedFormat;
import io.runnel.proxy.http.Bodies;
import io.runnel.proxy.http.Replies;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * API v2's produce: {@code POST /topics/{topic}} and {@code /topics/{topic}/partitions/{partition}} with the binary,
 * json or avro embedded format named by the content type; the answer lists each record's partition and offset, or
 * its error code (50002, 50003 retriable) and message, in request order.
 */
public final class ProduceRoutes {
    private final ClusterClients clients;
    private final Replies replies;

    public ProduceRoutes(ClusterClients clients, Replies replies) {
        this.clients = clients;
        this.replies = replies;
    }

    public void install(Router router) {
        router.post("/topics/:topic").handler(ctx -> produce(ctx, null));
        router.post("/topics/:topic/partitions/:partition").handler(ctx ->
                produce(ctx, MetadataRoutes.partitionParam(ctx)));
    }

    private void produce(RoutingContext ctx, Integer pathPartition) {
        EmbeddedFormat format = EmbeddedFormat.ofV2MediaType(Bodies.mediaType(ctx));
        if (format == null) {
            throw new HttpException(415, "HTTP 415 Unsupported Media Type");
        }
        String topic = MetadataRoutes.topic(ctx);
        JsonObject body = Bodies.object(ctx);
        JsonArray records = body.getJsonArray("records");
        if (records == null || records.isEmpty()) {
            throw RestErrors.unprocessable("records must be a non-empty array");
        }
        List<JsonObject> entries = new ArrayList<>();
        for (Object entry : records) {
            if (!(entry instanceof JsonObject record)) {
                throw RestErrors.unprocessable("each record must be a JSON object");
            }
            entries.add(record);
        }
        CompletableFuture<Encoder> encoder = format == EmbeddedFormat.AVRO ? avroEncoder(topic, body, entries)
                : CompletableFuture.completedFuture(new Encoder(format, null, null, null, null));
        // Every record is encoded before any is sent: bad input refuses the whole request.
        CompletableFuture<List<ProducerRecord<byte[], byte[]>>> encoded = clients.describe(topic)
                .thenCombine(encoder, (description, enc) -> {
                    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
                    for (JsonObject record : entries) {
                        Integer partition = pathPartition != null ? pathPartition : record.getInteger("partition");
                        if (partition != null) {
                            MetadataRoutes.find(description, partition);
                        }
                        out.add(new ProducerRecord<>(topic, partition, enc.key(record.getValue("key")),
                                enc.value(record.getValue("value"))));
                    }
                    return out;
                });
        replies.later(ctx, encoded.thenCompose(clients::send).thenCombine(encoder, (results, enc) -> {
            JsonArray offsets = new JsonArray();
            for (CompletableFuture<RecordMetadata> result : results) {
                offsets.add(offset(result));
            }
            return new JsonObject().put("key_schema_id", enc.keySchemaId()).put("value_schema_id", enc.valueSchemaId())
                    .put("offsets", offsets);
        }), v -> v);
    }

    /** {@code {"partition":..,"offset":..,"error_code":null,"error":null}} or the record's error. */
    static JsonObject offset(CompletableFuture<RecordMetadata> result) {
        JsonObject offset = new JsonObject();
        try {
            RecordMetadata metadata = result.join();
            return offset.put("partition", metadata.partition()).put("offset", metadata.offset())
                    .putNull("error_code").putNull("error");
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return offset.putNull("partition").putNull("offset").put("error_code", RestErrors.kafkaErrorCode(cause))
                    .put("error", cause.getMessage());
        }
    }

    /** Registers (or looks up) the request's key and value schemas under the topic's subjects. */
    private CompletableFuture<Encoder> avroEncoder(String topic, JsonObject body, List<JsonObject> records) {
        boolean keys = records.stream().anyMatch(r -> r.getValue("key") != null);
        boolean values = records.stream().anyMatch(r -> r.getValue("value") != null);
        CompletableFuture<Integer> keyId = schemaId(topic + "-key", body, "key_schema", keys,
                RestErrors::keySchemaMissing);
        CompletableFuture<Integer> valueId = schemaId(topic + "-value", body, "value_schema", values,
                RestErrors::valueSchemaMissing);
        CompletableFuture<Schema> keySchema = keyId.thenCompose(this::schema);
        CompletableFuture<Schema> valueSchema = valueId.thenCompose(this::schema);
        return CompletableFuture.allOf(keySchema, valueSchema).thenApply(done -> new Encoder(EmbeddedFormat.AVRO,
                keyId.join(), keySchema.join(), valueId.join(), valueSchema.join()));
    }

    private CompletableFuture<Schema> schema(Integer id) {
        return id == null ? CompletableFuture.completedFuture(null) : clients.registry().schema(id);
    }

    private CompletableFuture<Integer> schemaId(String subject, JsonObject body, String field, boolean needed,
                                                Supplier<HttpException> missing) {
        Object id = body.getValue(field + "_id");
        Object schema = body.getValue(field);
        if (id != null) {
            if (!(id instanceof Integer given)) {
                throw RestErrors.unprocessable(field + "_id must be an integer");
            }
            return CompletableFuture.completedFuture(given);
        }
        if (schema == null) {
            if (needed) {
                throw missing.get();
            }
            return CompletableFuture.completedFuture(null);
        }
        if (!(schema instanceof String text)) {
            throw RestErrors.unprocessable(field + " must be a string holding the schema");
        }
        Schema parsed;
        try {
            parsed = new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw RestErrors.invalidSchema(e.getMessage());
        }
        return clients.registry().register(subject, parsed);
    }

    /** Turns embedded keys and values into record bytes; avro with the request's schemas. */
    record Encoder(EmbeddedFormat format, Integer keySchemaId, Schema keySchema, Integer valueSchemaId,
                   Schema valueSchema) {
        byte[] key(Object key) {
            return encode(key, keySchemaId, keySchema, RestErrors::keySchemaMissing);
        }

        byte[] value(Object value) {
            return encode(value, valueSchemaId, valueSchema, RestErrors::valueSchemaMissing);
        }

        private byte[] encode(Object data, Integer id, Schema schema,
                              Supplier<HttpException> missing) {
            if (data == null) {
                return null;
            }
            switch (format) {
                case BINARY:
                    if (!(data instanceof String base64)) {
                        throw RestErrors.unprocessable("binary keys and values must be base64 strings");
                    }
                    try {
                        return Base64.getDecoder().decode(base64);
                    } catch (IllegalArgumentException e) {
                        throw RestErrors.unprocessable("invalid base64: " + e.getMessage());
                    }
                case JSON:
                    return Json.encode(data).getBytes(StandardCharsets.UTF_8);
                default:
                    if (schema == null) {
                        throw missing.get();
                    }
                    return AvroJson.toWire(id, schema, data);
            }
        }
    }
}
