package io.runnel.console.schemas;

import io.runnel.console.html.Html;
import io.runnel.http.HttpException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of any registry speaking Confluent Schema Registry's REST API, for the Schemas pages and for decoding
 * Avro values: schemas by id are cached (an id never changes its schema). The registry's refusals come back with its
 * own error code and message.
 */
public final class RegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ConcurrentMap<Integer, Optional<Schema>> avroById = new ConcurrentHashMap<>();

    public RegistryClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    public String url() {
        return baseUrl;
    }

    /** The Avro schema registered as {@code id}; null when that id's schema is of another type or there is none. */
    public Schema avroSchema(int id) {
        Optional<Schema> known = avroById.get(id);
        if (known != null) {
            return known.orElse(null);
        }
        JsonObject answer;
        try {
            answer = (JsonObject) get("/schemas/ids/" + id);
        } catch (HttpException e) {
            if (e.httpStatus() == 404) {
                // Values that merely start with byte 0: asked once, not once per record.
                avroById.putIfAbsent(id, Optional.empty());
                return null;
            }
            throw e;
        }
        Optional<Schema> schema = Optional.empty();
        if ("AVRO".equals(answer.getString("schemaType", "AVRO"))) {
            try {
                schema = Optional.of(new Schema.Parser().parse(answer.getString("schema")));
            } catch (SchemaParseException e) {
                throw new IllegalStateException("schema " + id + " does not parse: " + e.getMessage(), e);
            }
        }
        avroById.putIfAbsent(id, schema);
        return schema.orElse(null);
    }

    public JsonArray subjects() {
        return (JsonArray) get("/subjects");
    }

    public JsonArray versions(String subject) {
        return (JsonArray) get("/subjects/" + Html.url(subject) + "/versions");
    }

    /** {@code subject}, {@code version}, {@code id}, {@code schema} and {@code schemaType} (absent: AVRO). */
    public JsonObject version(String subject, String version) {
        return (JsonObject) get("/subjects/" + Html.url(subject) + "/versions/" + Html.url(version));
    }

    /** The subject's compatibility level, or the registry's when the subject has none of its own. */
    public String compatibility(String subject) {
        return ((JsonObject) get("/config/" + Html.url(subject) + "?defaultToGlobal=true"))
                .getString("compatibilityLevel");
    }

    /** Null when {@code schema} may be registered under the subject's compatibility level; else the reasons. */
    public String incompatibility(String subject, String schema, String type) {
        try {
            JsonObject answer = (JsonObject) send(HttpRequest.newBuilder(URI.create(baseUrl
                    + "/compatibility/subjects/" + Html.url(subject) + "/versions/latest?verbose=true"))
                    .POST(body(schema, type)));
            if (answer.getBoolean("is_compatible", false)) {
                return null;
            }
            JsonArray messages = answer.getJsonArray("messages", new JsonArray());
            return messages.isEmpty() ? "not compatible" : String.join("; ", messages.stream()
                    .map(String::valueOf).toList());
        } catch (HttpException e) {
            // A subject without versions yet takes any schema.
            if (e.errorCode() == 40401 || e.errorCode() == 40402) {
                return null;
            }
            throw e;
        }
    }

    /** Registers {@code schema} under {@code subject} and answers its id. */
    public int register(String subject, String schema, String type) {
        return ((JsonObject) send(HttpRequest.newBuilder(URI.create(baseUrl + "/subjects/" + Html.url(subject)
                + "/versions")).POST(body(schema, type)))).getInteger("id");
    }

    private static HttpRequest.BodyPublisher body(String schema, String type) {
        JsonObject body = new JsonObject().put("schema", schema);
        if (!"AVRO".equals(type)) {
            body.put("schemaType", type);
        }
        return HttpRequest.BodyPublishers.ofString(body.encode());
    }

    private Object get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    private Object send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).header("Content-Type", CONTENT_TYPE)
                    .header("Accept", CONTENT_TYPE).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new HttpException(502, "The schema registry " + baseUrl + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpException(503, "Interrupted");
        }
        Object json;
        try {
            json = Json.decodeValue(response.body());
        } catch (DecodeException e) {
            throw new HttpException(502, "The schema registry answered HTTP " + response.statusCode()
                    + " without JSON");
        }
        if (response.statusCode() / 100 == 2) {
            return json;
        }
        JsonObject error = json instanceof JsonObject o ? o : new JsonObject();
        int code = error.getValue("error_code") instanceof Integer c && c >= 400 ? c : response.statusCode();
        throw new HttpException(response.statusCode() / 100 == 4 ? code : 502, "Schema registry: "
                + error.getString("message", "HTTP " + response.statusCode()));
    }
}
