package io.runnel.it.proxy;

import static io.runnel.it.proxy.RestProxyHttp.BINARY_V2;
import static io.runnel.it.proxy.RestProxyHttp.JSON_V2;
import static io.runnel.it.proxy.RestProxyHttp.V2;
import static io.runnel.it.proxy.RestProxyHttp.error;
import static io.runnel.it.proxy.RestProxyHttp.object;
import static io.runnel.it.proxy.RestProxyHttp.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TestDirs;
import io.runnel.it.compat.ClientCommand;
import io.runnel.proxy.RestProxyConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * API v2's consumer instances as Confluent's documentation walks through them: create, subscribe, read records,
 * commit and read committed offsets, assign, seek, delete; a binary instance reads what kcat produced byte for byte;
 * records requests honour max_bytes without skipping; idle instances expire.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RestProxyV2ConsumerTest {
    private static RunnelCluster cluster;
    private static RestProxyHttp proxy;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().start();
        proxy = RestProxyHttp.start(cluster.bootstrapServers(), null);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBinaryInstanceReadsWhatKcatProducedThenCommitsAndIsDeleted() throws Exception {
        ClientCommand.requireInstalled("kcat", "apt-get install kcat", "kcat", "-V");
        cluster.createTopic("from-kcat", 1);
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) (255 - i);
        }
        Path file = TestDirs.buildDir().resolve("compat").resolve("to-proxy-" + TestDirs.forkId() + ".bin");
        Files.createDirectories(file.getParent());
        Files.write(file, every);
        // Without -l each file is one message, its bytes as they are.
        ClientCommand.run(null, List.of("kcat", "-b", cluster.bootstrapServers(), "-P", "-t", "from-kcat",
                "-k", "kcat-key", file.toString()));

        JsonObject created = object(proxy.post("/consumers/binary-group", V2,
                "{\"name\": \"my_consumer_instance\", \"format\": \"binary\", \"auto.offset.reset\": \"earliest\"}"));
        String base = "/consumers/binary-group/instances/my_consumer_instance";
        assertEquals("my_consumer_instance", created.getString("instance_id"));
        assertEquals(proxy.url() + base, created.getString("base_uri"));
        error(proxy.post("/consumers/binary-group", V2, "{\"name\": \"my_consumer_instance\"}"), 409, 40902);

        status(proxy.post(base + "/subscription", V2, "{\"topics\":[\"from-kcat\"]}"), 204);
        assertEquals(new JsonObject().put("topics", new JsonArray().add("from-kcat")),
                object(proxy.get(base + "/subscription", V2)));
        JsonArray records = records(base, BINARY_V2, 1);
        JsonObject record = records.getJsonObject(0);
        assertEquals("from-kcat", record.getString("topic"));
        assertEquals(0, record.getInteger("partition"));
        assertEquals(0L, record.getLong("offset"));
        assertArrayEquals("kcat-key".getBytes(), Base64.getDecoder().decode(record.getString("key")));
        assertArrayEquals(every, Base64.getDecoder().decode(record.getString("value")));

        status(proxy.post(base + "/offsets", V2,
                "{\"offsets\":[{\"topic\":\"from-kcat\",\"partition\":0,\"offset\":0}]}"), 204);
        assertEquals(new JsonObject().put("offsets", new JsonArray().add(new JsonObject().put("topic", "from-kcat")
                        .put("partition", 0).put("offset", 1).put("metadata", ""))),
                object(proxy.send(base + "/offsets", "GET", V2, "{\"partitions\":[{\"topic\":\"from-kcat\","
                        + "\"partition\":0}]}")));

        error(proxy.get(base + "/records", JSON_V2), 406, 40601);
        status(proxy.delete(base + "/subscription"), 204);
        assertEquals(new JsonObject().put("topics", new JsonArray()), object(proxy.get(base + "/subscription", V2)));
        status(proxy.delete(base), 204);
        error(proxy.get(base + "/records", BINARY_V2), 404, 40403);
        error(proxy.delete(base), 404, 40403);
    }

    @Test
    void aJsonInstanceAssignsSeeksAndHonoursMaxBytes() throws Exception {
        cluster.createTopic("json-consume", 2);
        StringBuilder produce = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 6; i++) {
            produce.append(i == 0 ? "" : ",").append("{\"partition\":0,\"value\":{\"n\":").append(i)
                    .append(",\"pad\":\"").append("x".repeat(80)).append("\"}}");
        }
        object(proxy.post("/topics/json-consume", JSON_V2, produce.append("]}").toString()));

        object(proxy.post("/consumers/json-group", V2, "{\"name\":\"j\",\"format\":\"json\","
                + "\"auto.commit.enable\":\"false\"}"));
        String base = "/consumers/json-group/instances/j";
        status(proxy.post(base + "/assignments", V2, "{\"partitions\":[{\"topic\":\"json-consume\",\"partition\":0},"
                + "{\"topic\":\"json-consume\",\"partition\":1}]}"), 204);
        assertEquals(2, object(proxy.get(base + "/assignments", V2)).getJsonArray("partitions").size());
        error(proxy.post(base + "/subscription", V2, "{\"topics\":[\"json-consume\"]}"), 409, 40901);
        status(proxy.post(base + "/positions/beginning", V2,
                "{\"partitions\":[{\"topic\":\"json-consume\",\"partition\":0}]}"), 204);

        // Each record is about 100 bytes: 150 bytes a request answers one at a time, in order, none skipped.
        for (int expected = 0; expected < 6; expected++) {
            JsonArray one = recordsOf(base + "/records?max_bytes=150", JSON_V2, 1);
            assertEquals(1, one.size(), one.encode());
            assertEquals(expected, one.getJsonObject(0).getJsonObject("value").getInteger("n"));
        }
        status(proxy.post(base + "/positions", V2,
                "{\"offsets\":[{\"topic\":\"json-consume\",\"partition\":0,\"offset\":4}]}"), 204);
        JsonArray rest = records(base, JSON_V2, 2);
        assertEquals(List.of(4L, 5L), rest.stream().map(r -> ((JsonObject) r).getLong("offset")).toList());
        status(proxy.post(base + "/positions/end", V2,
                "{\"partitions\":[{\"topic\":\"json-consume\",\"partition\":0}]}"), 204);
        assertEquals(0, array(proxy.get(base + "/records?timeout=200", JSON_V2)).size());
        error(proxy.post(base + "/positions", V2,
                "{\"offsets\":[{\"topic\":\"not-assigned\",\"partition\":0,\"offset\":4}]}"), 409, 40903);
        status(proxy.delete(base), 204);
    }

    @Test
    void idleInstancesExpire() throws Exception {
        RestProxyConfig config = RestProxyConfig.parse(Map.of("listeners", "http://127.0.0.1:0",
                "bootstrap.servers", cluster.bootstrapServers(), "consumer.instance.timeout.ms", "500"));
        try (RestProxyHttp shortLived = RestProxyHttp.start(config)) {
            String create = "{\"name\":\"idle\"}";
            object(shortLived.post("/consumers/expiring", V2, create));
            // Creating the name again does not use the instance: 40902 while it lives, a new one once it expired.
            Await.awaitCondition(Duration.ofSeconds(30), () -> {
                try {
                    return shortLived.post("/consumers/expiring", V2, create).statusCode() == 200;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, "the idle instance expired, so its name is free");
        }
    }

    /** Reads records until {@code count} have come (a new member waits for its group to assign it partitions). */
    private static JsonArray records(String base, String accept, int count) throws Exception {
        return recordsOf(base + "/records?timeout=1000", accept, count);
    }

    private static JsonArray recordsOf(String url, String accept, int count) throws Exception {
        JsonArray all = new JsonArray();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (all.size() < count && System.nanoTime() < deadline) {
            array(proxy.get(url, accept)).forEach(all::add);
        }
        assertEquals(count, all.size(), all.encode());
        return all;
    }

    private static JsonArray array(HttpResponse<String> response) {
        return RestProxyHttp.array(response);
    }

}
