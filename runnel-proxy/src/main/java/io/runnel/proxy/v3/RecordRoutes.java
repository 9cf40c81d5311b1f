package io.runnel.proxy.v3;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runnel.http.HttpErrors;
import io.runnel.http.HttpException;
import io.runnel.proxy.ClusterClients;
import io.runnel.proxy.RestErrors;
import io.runnel.proxy.http.Bodies;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * API v3's produce, {@code POST /v3/clusters/{cluster}/topics/{topic}/records}: one record, or a stream of records
 * as concatenated JSON objects in one body, answered by one JSON result per record in the same order, each with its
 * own {@code error_code} (200 when written). A single record's failure is the HTTP status itself, as Confluent does.
 */
public final class RecordRoutes {
    private static final String JSON = "application/json";
    private static final JsonFactory PARSER = new JsonFactory();

    private final ClusterClients clients;
    private final HttpErrors errors;

    public RecordRoutes(ClusterClients clients, HttpErrors errors) {
        this.clients = clients;
        this.errors = errors;
    }

    public void install(Router router) {
        router.post("/v3/clusters/:cluster/topics/:topic/records").handler(this::produce);
    }

    private void produce(RoutingContext ctx) {
        Bodies.requireMediaType(ctx, Set.of(JSON));
        List<JsonObject> requests = parse(ctx.body().buffer());
        String topic = ctx.pathParam("topic");
        Context requestContext = ctx.vertx().getOrCreateContext();
        CompletableFuture<String> cluster = Resources.clusterId(clients, ctx.pathParam("cluster"));
        CompletableFuture<TopicDescription> topicDescription = cluster.thenCompose(id -> ClusterClients.future(
                clients.admin().describeTopics(List.of(topic)).allTopicNames(), RestErrors::kafkaV3)
                .thenApply(all -> all.get(topic)));
        CompletableFuture<List<Object>> results = topicDescription.thenCompose(description -> {
            List<CompletableFuture<Encoded>> encoded = new ArrayList<>();
            for (JsonObject request : requests) {
                encoded.add(encode(topic, description, request));
            }
            return CompletableFuture.allOf(encoded.toArray(CompletableFuture[]::new)).handle((v, ignored) -> encoded);
        }).thenCompose(encoded -> {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            encoded.stream().filter(e -> !e.isCompletedExceptionally()).forEach(e -> records.add(e.join().record()));
            return clients.send(records).thenApply(sent -> {
                List<Object> answers = new ArrayList<>();
                int next = 0;
                for (CompletableFuture<Encoded> e : encoded) {
                    if (e.isCompletedExceptionally()) {
                        answers.add(failure(e));
                    } else {
                        answers.add(answer(cluster.join(), topic, e.join(), sent.get(next++)));
                    }
                }
                return answers;
            });
        });
        results.whenComplete((answers, failure) -> requestContext.runOnContext(v -> {
            if (failure != null) {
                errors.fail(ctx, failure);
            } else if (answers.size() == 1 && answers.get(0) instanceof HttpException e) {
                errors.send(ctx, e.httpStatus(), e.errorCode(), e.getMessage());
            } else {
                StringBuilder body = new StringBuilder();
                for (Object answer : answers) {
                    JsonObject json = answer instanceof HttpException e ? new JsonObject()
                            .put("error_code", e.errorCode()).put("message", e.getMessage()) : (JsonObject) answer;
                    body.append(json.encode()).append('\n');
                }
                ctx.response().setStatusCode(200).putHeader("Content-Type", JSON).end(body.toString());
            }
        }));
    }

    private record Encoded(ProducerRecord<byte[], byte[]> record, RecordData key, RecordData value) {
    }

    private CompletableFuture<Encoded> encode(String topic, TopicDescription description, JsonObject request) {
        try {
            Integer partition = request.getInteger("partition_id");
            if (partition != null && (partition < 0 || partition >= description.partitions().size())) {
                throw RestErrors.topicPartitionNotHosted();
            }
            Long timestamp = null;
            if (request.getValue("timestamp") != null) {
                try {
                    timestamp = Instant.parse(request.getString("timestamp")).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw RecordData.badRequest("timestamp must be an ISO-8601 instant: " + e.getMessage());
                }
            }
            List<Header> headers = headers(request.getJsonArray("headers"));
            Long time = timestamp;
            return RecordData.encode(clients, topic, true, request.getValue("key"))
                    .thenCombine(RecordData.encode(clients, topic, false, request.getValue("value")),
                            (key, value) -> new Encoded(new ProducerRecord<>(topic, partition, time, key.bytes(),
                                    value.bytes(), headers), key, value));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A record header as the request gives it. */
    private record RequestHeader(String key, byte[] value) implements Header {
    }

    private static List<Header> headers(JsonArray given) {
        List<Header> headers = new ArrayList<>();
        if (given == null) {
            return headers;
        }
        for (Object entry : given) {
            if (!(entry instanceof JsonObject header) || header.getString("name") == null) {
                throw RecordData.badRequest("each header must be {\"name\":..,\"value\":<base64 or null>}");
            }
            String value = header.getString("value");
            try {
                headers.add(new RequestHeader(header.getString("name"),
                        value == null ? null : Base64.getDecoder().decode(value)));
            } catch (IllegalArgumentException e) {
                throw RecordData.badRequest("header " + header.getString("name") + " is not valid base64");
            }
        }
        return headers;
    }

    private static JsonObject answer(String cluster, String topic, Encoded encoded,
                                     CompletableFuture<RecordMetadata> sent) {
        try {
            RecordMetadata metadata = sent.join();
            return new JsonObject().put("error_code", 200).put("cluster_id", cluster).put("topic_name", topic)
                    .put("partition_id", metadata.partition()).put("offset", metadata.offset())
                    .put("timestamp", Instant.ofEpochMilli(metadata.timestamp()).toString())
                    .put("key", encoded.key().description()).put("value", encoded.value().description());
        } catch (CompletionException e) {
            return failureJson(RestErrors.kafkaV3(e.getCause()));
        }
    }

    /** Why a record could not be encoded, as its answer. */
    private static HttpException failure(CompletableFuture<Encoded> failed) {
        Throwable cause = failed.handle((v, t) -> t instanceof CompletionException && t.getCause() != null
                ? t.getCause() : t).join();
        if (cause instanceof HttpException h) {
            return h;
        }
        if (cause instanceof ClassCastException) {
            return RecordData.badRequest("a field of the record has the wrong type");
        }
        return RestErrors.kafkaV3(cause);
    }

    private static JsonObject failureJson(HttpException e) {
        return new JsonObject().put("error_code", e.errorCode()).put("message", e.getMessage());
    }

    /** The body's concatenated JSON objects: 400 when it is not such a stream or holds none. */
    private static List<JsonObject> parse(Buffer body) {
        List<JsonObject> objects = new ArrayList<>();
        if (body == null) {
            throw RecordData.badRequest("the body holds no record");
        }
        byte[] bytes = body.getBytes();
        try (JsonParser parser = PARSER.createParser(bytes)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw RecordData.badRequest("each record must be a JSON object");
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getByteOffset();
                objects.add(new JsonObject(new String(bytes, start, end - start, StandardCharsets.UTF_8)));
            }
        } catch (JsonProcessingException e) {
            throw new HttpException(400, "Unrecognized JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HttpException(400, "Unrecognized JSON: " + e.getMessage());
        }
        if (objects.isEmpty()) {
            throw RecordData.badRequest("the body holds no record");
        }
        return objects;
    }
}
