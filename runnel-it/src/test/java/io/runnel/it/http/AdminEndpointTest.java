package io.runnel.it.http;

import io.runnel.it.RunnelCluster;
import io.runnel.it.transactions.IsolatedReads;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin HTTP endpoint of a running node ({@code admin.listeners}): its probes answer, and bad input (unknown
 * paths, other methods, over-long request lines and headers, a huge body, garbage, clients that never finish their
 * request) gets a 4xx or a closed connection, never a 5xx, while the endpoint and the broker keep serving; a client
 * that stalls halfway through its request is disconnected by the idle timeout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminEndpointTest {
    private static RunnelCluster cluster;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().brokerProperty("admin.listeners", "http://127.0.0.1:0").start();
        port = cluster.server(1).adminPort();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theProbesAnswerOnceTheNodeServes() throws Exception {
        assertEquals(200, AdminProbe.get(port, "/v1/status/live").statusCode());
        HttpResponse<String> ready = AdminProbe.get(port, "/v1/status/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("{\"status\":\"ready\"}", ready.body());
        assertEquals("application/json", ready.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void badInputGetsA4xxAndNothingElseIsAffected() throws Exception {
        HttpResponse<String> unknown = AdminProbe.get(port, "/v1/nothing-here");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().startsWith("{\"error_code\":404,\"message\":\"HTTP 404 Not Found"), unknown.body());
        HttpResponse<String> posted = AdminProbe.send(HttpRequest.newBuilder(AdminProbe.uri(port, "/v1/status/ready"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(405, posted.statusCode());

        assertEquals(414, AdminProbe.rawStatus(port, "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(431, AdminProbe.rawStatus(port, "GET /v1/status/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000)
                + "\r\n\r\n"));
        int huge = AdminProbe.rawStatus(port, "POST /v1/status/live HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"
                + "c".repeat(1_000_000));
        assertTrue(huge >= 400 && huge < 500, "a huge body: " + huge);
        int garbage = AdminProbe.rawStatus(port, "\u0000\u0001\u0002 not http at all\r\n\r\n");
        assertTrue(garbage == -1 || garbage >= 400 && garbage < 500, "garbage: " + garbage);

        // Clients that never finish a request hold a connection each, and nothing else.
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write("GET /v1/status/live HTTP/1.1\r\nHost: slow\r\nX-Part".getBytes());
                slow.add(socket);
            }
            assertEquals(200, AdminProbe.get(port, "/v1/status/ready").statusCode());
            cluster.createTopic("admin-bad-input", 1);
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
                producer.send(new ProducerRecord<>("admin-bad-input", "still-serving".getBytes())).get(30, TimeUnit.SECONDS);
            }
            assertEquals(List.of("still-serving"), IsolatedReads.readAll(cluster,
                    new TopicPartition("admin-bad-input", 0), "read_uncommitted"));
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aClientThatStallsHalfwayThroughItsRequestIsDisconnectedWithoutA5xx() throws Exception {
        try (Socket stalled = new Socket("127.0.0.1", port)) {
            stalled.getOutputStream().write("GET /v1/status/live HTTP/1.1\r\nHost: stalled\r\nX-Par".getBytes());
            stalled.getOutputStream().flush();
            // The endpoint's idle timeout (30 s) ends it; the read waits for that, bounded well above it.
            stalled.setSoTimeout((int) TimeUnit.SECONDS.toMillis(120));
            byte[] answer = stalled.getInputStream().readAllBytes();
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertTrue(answer.length == 0 || text.matches("(?s)HTTP/1\\.1 4\\d\\d .*"),
                    "closed, or answered with a 4xx: " + text);
        }
        assertEquals(200, AdminProbe.get(port, "/v1/status/live").statusCode(), "the endpoint still serves");
    }
}
