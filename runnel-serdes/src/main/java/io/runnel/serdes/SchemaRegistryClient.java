package io.runnel.serdes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A client of any registry speaking Confluent's REST API, with the caches serializers need: a schema's id per subject
 * is asked once, a schema by id once (ids never change meaning), and a subject's latest version once, as Confluent's
 * serializers do by default ({@code latest.cache.ttl.sec=-1}): a producer writes with the version it started with.
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<String> urls;
    private final String authorization;
    private final HttpClient http;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, RegisteredSchema> byId = new ConcurrentHashMap<>();
    private final Map<String, RegisteredSchema> latest = new ConcurrentHashMap<>();

    public SchemaRegistryClient(SerdeConfig config) {
        this.urls = config.registryUrls().stream().map(SchemaRegistryClient::withoutUserInfo).toList();
        String userInfo = config.basicAuthUserInfo();
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Registers the schema under the subject (or finds it there already) and answers its id. */
    public int register(String subject, String schemaType, String schema) {
        return ids.computeIfAbsent(key(subject, schemaType, schema), k -> send("POST",
                "/subjects/" + encode(subject) + "/versions", body(schemaType, schema)).get("id").asInt());
    }

    /** The id the subject has for this schema, without registering it (40403 when it has none). */
    public int lookup(String subject, String schemaType, String schema) {
        return ids.computeIfAbsent(key(subject, schemaType, schema), k -> send("POST",
                "/subjects/" + encode(subject), body(schemaType, schema)).get("id").asInt());
    }

    public RegisteredSchema latest(String subject) {
        return latest.computeIfAbsent(subject, s -> {
            JsonNode version = send("GET", "/subjects/" + encode(s) + "/versions/latest", null);
            RegisteredSchema schema = new RegisteredSchema(version.get("id").asInt(),
                    version.path("schemaType").asText("AVRO"), version.get("schema").asText());
            byId.putIfAbsent(schema.id(), schema);
            return schema;
        });
    }

    public RegisteredSchema byId(int id) {
        return byId.computeIfAbsent(id, i -> {
            JsonNode found = send("GET", "/schemas/ids/" + i, null);
            return new RegisteredSchema(i, found.path("schemaType").asText("AVRO"), found.get("schema").asText());
        });
    }

    private JsonNode send(String method, String path, String body) {
        SerializationException failure = null;
        for (String url : urls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                    .header("Accept", CONTENT_TYPE)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode answer = JSON.readTree(response.body());
                if (response.statusCode() / 100 != 2) {
                    // The registry answered: another URL would answer the same.
                    throw new SerializationException("Schema registry refused " + method + " " + path + ": "
                            + response.statusCode() + " " + answer.path("error_code").asInt() + " "
                            + answer.path("message").asText());
                }
                return answer;
            } catch (IOException e) {
                failure = new SerializationException("Schema registry " + url + " unreachable: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SerializationException("Interrupted while asking the schema registry", e);
            }
        }
        throw failure;
    }

    private static String body(String schemaType, String schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema);
        if (!"AVRO".equals(schemaType)) {
            body.put("schemaType", schemaType);
        }
        return body.toString();
    }

    private static String key(String subject, String schemaType, String schema) {
        return subject + '\n' + schemaType + '\n' + schema;
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String withoutUserInfo(String url) {
        URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        return uri.getUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getUserInfo() + "@", "");
    }
}
