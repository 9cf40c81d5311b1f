package io.runnel.proxy.format;

import io.runnel.http.HttpException;
import io.runnel.proxy.RestErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of any registry speaking Confluent Schema Registry's REST API: registers schemas under the topic name
 * strategy's subjects ({@code <topic>-key}, {@code <topic>-value}) and reads schemas by id, caching both (an id
 * never changes its schema). A refusal of the registry is passed on with its own error code.
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ConcurrentMap<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Integer> registered = new ConcurrentHashMap<>();

    public SchemaRegistryClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /** The id of {@code schema} under {@code subject}, registering it when the subject does not have it yet. */
    public CompletableFuture<Integer> register(String subject, Schema schema) {
        String key = subject + "\u0000" + schema;
        Integer known = registered.get(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        String body = new JsonObject().put("schema", schema.toString()).encode();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/subjects/"
                        + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20") + "/versions"))
                .timeout(TIMEOUT).header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(request).thenApply(json -> {
            int id = json.getInteger("id");
            registered.put(key, id);
            byId.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The schema with this id. */
    public CompletableFuture<Schema> schema(int id) {
        Schema known = byId.get(id);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/schemas/ids/" + id)).timeout(TIMEOUT)
                .GET().build();
        return send(request).thenApply(json -> {
            try {
                Schema schema = new Schema.Parser().parse(json.getString("schema"));
                byId.putIfAbsent(id, schema);
                return schema;
            } catch (SchemaParseException e) {
                throw RestErrors.invalidSchema(e.getMessage());
            }
        });
    }

    private CompletableFuture<JsonObject> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                throw new HttpException(500, "Schema registry " + baseUrl + " did not answer: "
                        + failure.getMessage());
            }
            JsonObject json;
            try {
                json = new JsonObject(response.body());
            } catch (DecodeException | ClassCastException e) {
                throw new HttpException(500, "Schema registry " + baseUrl + " answered HTTP " + response.statusCode()
                        + " without JSON");
            }
            if (response.statusCode() / 100 == 2) {
                return json;
            }
            Integer code = json.getValue("error_code") instanceof Integer c ? c : response.statusCode();
            String message = String.valueOf(json.getValue("message"));
            // The registry's own refusal (incompatible, not found, invalid) is the client's to fix; its failures
            // are this proxy's.
            throw response.statusCode() / 100 == 4 ? new HttpException(code, message)
                    : new HttpException(500, "Schema registry error: " + message);
        });
    }
}
