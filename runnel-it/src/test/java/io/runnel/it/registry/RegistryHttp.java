package io.runnel.it.registry;

import io.runnel.registry.RegistryConfig;
import io.runnel.registry.SchemaRegistryServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A registry on a free port against a cluster, and its REST API through java.net.http. */
public final class RegistryHttp implements AutoCloseable {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The registry this test started, null for one running elsewhere. */
    private final SchemaRegistryServer server;
    private final String base;

    private RegistryHttp(SchemaRegistryServer server, int port) {
        this.server = server;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts a registry as {@code runnel server} does, a client of {@code bootstrapServers}. */
    public static RegistryHttp start(String bootstrapServers) throws Exception {
        SchemaRegistryServer server = SchemaRegistryServer.start(RegistryConfig.embedded(
                List.of(new InetSocketAddress("127.0.0.1", 0)), bootstrapServers));
        return new RegistryHttp(server, server.boundPort(0));
    }

    /**
     * Starts a registry on 127.0.0.1 from schema-registry.properties entries (Confluent's names), against
     * {@code bootstrapServers}.
     */
    public static RegistryHttp start(String bootstrapServers, Map<String, String> properties) throws Exception {
        Map<String, String> all = new HashMap<>(properties);
        all.put("listeners", "http://127.0.0.1:0");
        all.put("kafkastore.bootstrap.servers", bootstrapServers);
        SchemaRegistryServer server = SchemaRegistryServer.start(RegistryConfig.parse(all));
        return new RegistryHttp(server, server.boundPort(0));
    }

    /** A client of a registry another process runs on this port. */
    public static RegistryHttp client(int port) {
        return new RegistryHttp(null, port);
    }

    public String url() {
        return base;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build());
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(path, "POST", CONTENT_TYPE, body);
    }

    public HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return send(path, "PUT", CONTENT_TYPE, body);
    }

    public HttpResponse<String> send(String path, String method, String contentType, String body)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The body of a schema registration or check: {"schema": "<schema as a JSON string>"}. */
    public static String schemaBody(String schema) {
        return new JsonObject().put("schema", schema).encode();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
