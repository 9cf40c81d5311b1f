package io.runnel.it.console;

import io.runnel.console.ConsoleConfig;
import io.runnel.console.ConsoleServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.FormElement;

/**
 * A console on a free port against a cluster, fetched as a browser does (GET pages, POST forms, redirects followed)
 * and parsed with jsoup.
 */
final class ConsoleHttp implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** A page: its status and its parsed document. */
    record Page(int status, Document doc) {
        String text() {
            return doc.text();
        }

        /** The rows of the table under the heading {@code heading} (the page's first table when null). */
        List<Map<String, String>> table(String heading) {
            Element table = heading == null ? doc.selectFirst("table")
                    : doc.select("h2").stream().filter(h -> h.text().equals(heading)).findFirst()
                    .map(h -> h.nextElementSibling().selectFirst("table")).orElseThrow();
            // Element by element: jsoup's eachText() leaves out empty cells.
            List<String> headings = table.select("thead th").stream().map(Element::text).toList();
            List<Map<String, String>> rows = new ArrayList<>();
            for (Element tr : table.select("tbody tr")) {
                List<String> cells = tr.select("td").stream().map(Element::text).toList();
                if (cells.size() == headings.size()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < cells.size(); i++) {
                        row.put(headings.get(i), cells.get(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }

        /** The one row whose {@code column} reads {@code value}. */
        Map<String, String> row(String heading, String column, String value) {
            return table(heading).stream().filter(r -> value.equals(r.get(column))).findFirst()
                    .orElseThrow(() -> new AssertionError("no row with " + column + "=" + value + " in "
                            + table(heading)));
        }
    }

    private final ConsoleServer server;
    private final String base;
    private String authorization;

    private ConsoleHttp(ConsoleServer server) {
        this.server = server;
        this.base = "http://127.0.0.1:" + server.boundPort(0);
    }

    /** A console as {@code runnel server} starts one; {@code registryUrl} null for none. */
    static ConsoleHttp start(String bootstrapServers, String registryUrl, boolean readOnly,
                             Map<String, String> passwords) {
        return new ConsoleHttp(ConsoleServer.start(ConsoleConfig.embedded(
                List.of(new InetSocketAddress("127.0.0.1", 0)), bootstrapServers, registryUrl, readOnly, passwords)));
    }

    /** Sends HTTP basic credentials with every later request. */
    ConsoleHttp login(String user, String password) {
        authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return this;
    }

    String url() {
        return base;
    }

    Page get(String path) throws IOException, InterruptedException {
        return send(builder(path).GET());
    }

    /** A response that is not a page (JSON, a script), as it is. */
    HttpResponse<String> raw(String path) throws IOException, InterruptedException {
        return CLIENT.send(builder(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a form as a browser does: url-encoded fields, from the console's own origin. */
    Page post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        return post(path, fields, base);
    }

    /**
     * Fills the page's form whose legend (or button) reads {@code name} with {@code values} over the values it
     * shows, and submits it as a browser does.
     */
    Page submit(Page page, String name, Map<String, String> values) throws IOException, InterruptedException {
        FormElement form = page.doc().select("form").forms().stream()
                .filter(f -> name.equals(f.select("legend").text()) || name.equals(f.select("button").text()))
                .findFirst().orElseThrow(() -> new AssertionError("no form " + name + " in " + page.text()));
        Map<String, String> fields = new LinkedHashMap<>();
        form.formData().forEach(field -> fields.put(field.key(), field.value()));
        values.keySet().forEach(key -> {
            if (!fields.containsKey(key)) {
                throw new AssertionError("the form " + name + " has no field " + key + ": " + fields.keySet());
            }
        });
        fields.putAll(values);
        return post(URI.create(form.absUrl("action")).getRawPath(), fields);
    }

    Page post(String path, Map<String, String> fields, String origin) throws IOException, InterruptedException {
        String body = fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(builder(path).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        return authorization == null ? builder : builder.header("Authorization", authorization);
    }

    private Page send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Page(response.statusCode(), Jsoup.parse(response.body(), base));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
