package io.runnel.it.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.runnel.proxy.RestProxyConfig;
import io.runnel.proxy.RestProxyServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A REST proxy on a free port against a cluster, and its API through java.net.http as Confluent's docs call it. */
public final class RestProxyHttp implements AutoCloseable {
    public static final String V2 = "application/vnd.kafka.v2+json";
    public static final String JSON_V2 = "application/vnd.kafka.json.v2+json";
    public static final String BINARY_V2 = "application/vnd.kafka.binary.v2+json";
    public static final String AVRO_V2 = "application/vnd.kafka.avro.v2+json";
    public static final String V3 = "application/json";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final RestProxyServer server;
    private final String base;

    private RestProxyHttp(RestProxyServer server) {
        this.server = server;
        this.base = "http://127.0.0.1:" + server.boundPort(0);
    }

    /** Starts a proxy as {@code runnel server} does; {@code registryUrl} null for none. */
    public static RestProxyHttp start(String bootstrapServers, String registryUrl) {
        return new RestProxyHttp(RestProxyServer.start(RestProxyConfig.embedded(
                List.of(new InetSocketAddress("127.0.0.1", 0)), bootstrapServers, registryUrl)));
    }

    public static RestProxyHttp start(RestProxyConfig config) {
        return new RestProxyHttp(RestProxyServer.start(config));
    }

    public String url() {
        return base;
    }

    public HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET().build());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build());
    }

    public HttpResponse<String> post(String path, String contentType, String body)
            throws IOException, InterruptedException {
        return send(path, "POST", contentType, body);
    }

    public HttpResponse<String> send(String path, String method, String contentType, String body)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> status(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        return response;
    }

    static JsonObject object(HttpResponse<String> response) {
        return new JsonObject(status(response, 200).body());
    }

    static JsonArray array(HttpResponse<String> response) {
        return new JsonArray(status(response, 200).body());
    }

    /** Asserts Confluent's error JSON with this status and code, and no stack trace. */
    static void error(HttpResponse<String> response, int status, int errorCode) {
        assertEquals(status, response.statusCode(), response.body());
        JsonObject body = new JsonObject(response.body());
        assertEquals(errorCode, body.getInteger("error_code"), response.body());
        assertFalse(body.getString("message") == null || body.getString("message").contains("\tat "),
                response.body());
    }

    @Override
    public void close() {
        server.close();
    }
}
