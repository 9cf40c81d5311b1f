package io.runnel.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaRegistryUrlTest {
    @RegisterExtension
    static RunnelExtension runnel = RunnelExtension.create();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theRegistryServesSubjectsRegisteredThroughIt() throws Exception {
        String url = runnel.schemaRegistryUrl();
        assertEquals("[]", get(url + "/subjects").body());

        String schema = "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}";
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects/orders-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(schema)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, registered.statusCode(), registered.body());

        HttpResponse<String> subjects = get(url + "/subjects");
        assertEquals(200, subjects.statusCode());
        assertEquals("[\"orders-value\"]", subjects.body());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
