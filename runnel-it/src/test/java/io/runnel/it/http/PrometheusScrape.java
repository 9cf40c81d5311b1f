package io.runnel.it.http;

import io.runnel.it.compat.ClientCommand;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node's {@code /metrics}, fetched and parsed by a real Prometheus parser: prometheus_client's, run by
 * {@code src/test/clients/python/prometheus_parse.py} under Debian's Python, which fails on anything malformed.
 */
public final class PrometheusScrape {
    /** Debian's package installs for the system interpreter, not for whatever python3 comes first on the PATH. */
    private static final String PYTHON = "/usr/bin/python3";
    static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** One sample: its family's name and type as the parser read them, its own name, labels and value. */
    public record Sample(String family, String type, String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusScrape(List<Sample> samples) {
        this.samples = samples;
    }

    /** Fails, saying how to install it, unless Debian's python3-prometheus-client is there. */
    public static void requireParser() {
        ClientCommand.requireInstalled("python3-prometheus-client", "apt-get install python3-prometheus-client",
                PYTHON, "-c", "import prometheus_client");
    }

    /** GETs the node's /metrics in the text format, checking its content type, and parses it. */
    public static PrometheusScrape of(int adminPort) throws IOException, InterruptedException {
        HttpResponse<String> response = get(adminPort, null);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(TEXT_CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        return parse(response.body(), false);
    }

    /** GETs /metrics with that Accept header (none when null). */
    static HttpResponse<String> get(int adminPort, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(AdminProbe.uri(adminPort, "/metrics"))
                .timeout(Duration.ofSeconds(30));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return AdminProbe.send(request.build());
    }

    /** Parses an exposition, OpenMetrics' strict parser for {@code openMetrics}, the text format's otherwise. */
    static PrometheusScrape parse(String body, boolean openMetrics) throws IOException, InterruptedException {
        String out = ClientCommand.run(body, List.of(PYTHON, ClientCommand.clientsDir().resolve("python")
                .resolve("prometheus_parse.py").toString(), openMetrics ? "openmetrics" : "text"));
        return new PrometheusScrape(out.lines().map(PrometheusScrape::sample).toList());
    }

    private static Sample sample(String line) {
        String[] fields = line.split("\t");
        Map<String, String> labels = new TreeMap<>();
        new JsonObject(fields[3]).forEach(e -> labels.put(e.getKey(), (String) e.getValue()));
        return new Sample(fields[0], fields[1], fields[2], labels, Double.parseDouble(fields[4]));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The value of the sample of that name with exactly those labels (alternating names and values), if any. */
    public Optional<Double> value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .map(Sample::value).findFirst();
    }

    /** The type the parser gave the family of the samples of that name. */
    public Optional<String> typeOf(String sampleName) {
        return samples.stream().filter(s -> s.name().equals(sampleName)).map(Sample::type).findFirst();
    }

    /** The samples of that name. */
    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}
