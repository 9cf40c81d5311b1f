package io.runnel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpServiceTest {
    /**
     * A GET that carries a body's content type (java.net.http keeps a POST's when it follows a redirect, over HTTP/2
     * too) is answered as a GET: the body handler is for the methods that carry one, and an unknown path is still a 404.
     */
    @Test
    void aGetWithAFormContentTypeIsAnsweredOverHttp1AndHttp2() throws Exception {
        HttpErrors errors = new HttpErrors("test", "application/json", 50001);
        HttpService http = new HttpService("test",
                HttpEndpoints.plain(List.of(new InetSocketAddress("127.0.0.1", 0))),
                new HttpService.Limits(1, 30, 4096, 8192, 1024), errors,
                router -> router.get("/page").handler(ctx -> ctx.response().end("page")));
        try {
            for (HttpClient.Version version : HttpClient.Version.values()) {
                HttpClient client = HttpClient.newBuilder().version(version).build();
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + http.boundPort(0) + "/page"))
                        .header("Content-Type", "application/x-www-form-urlencoded").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), version + ": " + response.body());
                assertEquals("page", response.body());
                assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + http.boundPort(0) + "/no/such/page")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode(), version + ": an unknown path stays unknown");
            }
        } finally {
            http.close();
        }
    }
}
