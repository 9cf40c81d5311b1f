package io.runnel.it.connect;

import static org.junit.jupiter.api.Assertions.fail;

import io.runnel.it.Await;
import io.runnel.testkit.FreePorts;
import io.runnel.it.TestDirs;
import io.runnel.it.TestJvm;
import io.runnel.tools.Runnel;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Apache Kafka Connect distributed worker ({@code runnel connect-distributed}, Kafka's ConnectDistributed
 * unchanged) in its own JVM, so that a test can SIGKILL it, with its REST API on a free 127.0.0.1 port. Its output
 * goes to target/connect-worker-*.log.
 */
final class ConnectWorker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 5;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Map<String, String> settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private Process process;
    private Path log;
    private int port;
    private long startedMs;

    private ConnectWorker(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** Starts a worker with {@code settings} (connect-distributed.properties) and waits until its REST API answers. */
    static ConnectWorker start(Map<String, String> settings) throws IOException {
        ConnectWorker worker = new ConnectWorker(settings);
        worker.start();
        return worker;
    }

    /** Starts the worker again, e.g. after {@link #kill9()}; on another free port when the one picked was taken. */
    void start() throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (launch()) {
                return;
            }
            if (attempt == START_ATTEMPTS) {
                fail("Connect worker did not start; output in " + log);
            }
        }
    }

    private boolean launch() throws IOException {
        startedMs = System.currentTimeMillis();
        port = FreePorts.pick();
        String name = "connect-worker-" + TestDirs.forkId() + "-" + RUNS.incrementAndGet();
        Path file = TestDirs.buildDir().resolve(name + ".properties");
        log = TestDirs.buildDir().resolve(name + ".log");
        Properties props = new Properties();
        props.putAll(settings);
        props.put("listeners", "http://127.0.0.1:" + port);
        props.put("rest.advertised.host.name", "127.0.0.1");
        props.put("rest.advertised.port", Integer.toString(port));
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, "Kafka Connect distributed worker");
        }
        process = TestJvm.start(Runnel.class, "512m", log, "connect-distributed", file.toString());
        Await.awaitCondition(START_TIMEOUT, () -> !process.isAlive() || get("/").status() == 200,
                "the Connect worker's REST API answers (output in " + log + ")");
        if (process.isAlive()) {
            return true;
        }
        if (!Files.readString(log).contains(FreePorts.IN_USE_MESSAGE)) {
            fail("Connect worker exited; output in " + log);
        }
        return false;
    }

    /** A REST answer; status 0 when the worker did not answer. */
    record Answer(int status, String body) {
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer put(String path) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    Answer delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: the worker's open transactions, group membership and REST server end without a word. */
    void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** When the worker was last started (wall-clock time). */
    long startedMs() {
        return startedMs;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill9();
        }
    }
}
