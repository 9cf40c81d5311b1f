package io.runnel.it.proxy;

import static io.runnel.it.proxy.RestProxyHttp.BINARY_V2;
import static io.runnel.it.proxy.RestProxyHttp.JSON_V2;
import static io.runnel.it.proxy.RestProxyHttp.V2;
import static io.runnel.it.proxy.RestProxyHttp.error;
import static io.runnel.it.proxy.RestProxyHttp.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.RoundTrip;
import io.runnel.it.RunnelCluster;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input to the REST proxy gets Confluent's documented 4xx and error JSON, never a 5xx or a stack trace, and
 * neither the proxy nor the broker stops serving.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestProxyBadInputTest {
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
    void unknownTopicsPartitionsAndInstancesAre404() throws Exception {
        cluster.createTopic("bad-known", 1);
        error(proxy.get("/topics/no-such-topic", V2), 404, 40401);
        error(proxy.get("/topics/no-such-topic/partitions", V2), 404, 40401);
        error(proxy.post("/topics/no-such-topic", JSON_V2, "{\"records\":[{\"value\":1}]}"), 404, 40401);
        error(proxy.get("/topics/bad-known/partitions/7", V2), 404, 40402);
        error(proxy.get("/topics/bad-known/partitions/x", V2), 404, 40402);
        error(proxy.post("/topics/bad-known/partitions/3", JSON_V2, "{\"records\":[{\"value\":1}]}"), 404, 40402);
        error(proxy.post("/topics/bad-known", JSON_V2, "{\"records\":[{\"value\":1,\"partition\":9}]}"), 404, 40402);
        error(proxy.get("/consumers/g/instances/nobody/records", BINARY_V2), 404, 40403);
        error(proxy.post("/consumers/g/instances/nobody/subscription", V2, "{\"topics\":[\"t\"]}"), 404, 40403);
        error(proxy.delete("/consumers/g/instances/nobody"), 404, 40403);
        error(proxy.get("/no/such/path", V2), 404, 404);
    }

    @Test
    void malformedBodiesWrongTypesAndOversizeAre4xx() throws Exception {
        cluster.createTopic("bad-input", 1);
        String path = "/topics/bad-input";
        error(proxy.post(path, BINARY_V2, "{\"records\":[{\"value\":\"not base64!\"}]}"), 422, 422);
        error(proxy.post(path, BINARY_V2, "{\"records\":[{\"value\":17}]}"), 422, 422);
        error(proxy.post(path, JSON_V2, "{\"records\":[{\"value\":"), 400, 400);
        error(proxy.post(path, JSON_V2, "[1,2]"), 422, 422);
        error(proxy.post(path, JSON_V2, "{\"records\":[]}"), 422, 422);
        error(proxy.post(path, JSON_V2, "{\"records\":[{\"value\":1,\"partition\":\"zero\"}]}"), 422, 422);
        error(proxy.post(path, "text/plain", "{\"records\":[{\"value\":1}]}"), 415, 415);
        error(proxy.post(path, V2, "{\"records\":[{\"value\":1}]}"), 415, 415);
        error(proxy.post(path, JSON_V2, "{\"records\":[{\"value\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}]}"),
                413, 413);
        error(proxy.send(path, "PUT", JSON_V2, "{}"), 405, 405);

        error(proxy.post("/consumers/bad", "text/plain", "{}"), 415, 415);
        error(proxy.post("/consumers/bad", V2, "{\"format\":\"xml\"}"), 422, 42204);
        error(proxy.post("/consumers/bad", V2, "{\"auto.offset.reset\":\"sometimes\"}"), 422, 42204);
        error(proxy.post("/consumers/bad", V2, "{\"fetch.min.bytes\":\"lots\"}"), 422, 42204);
        error(proxy.post("/consumers/bad", V2, "{\"format\":\"avro\"}"), 422, 42205);
        error(proxy.post("/topics/bad-input", RestProxyHttp.AVRO_V2, "{\"value_schema\":\"\\\"string\\\"\","
                + "\"records\":[{\"value\":\"v\"}]}"), 422, 42205);
        String base = "/consumers/bad/instances/" + object(proxy.post("/consumers/bad", V2, "{\"name\":\"b\"}"))
                .getString("instance_id");
        error(proxy.post(base + "/subscription", V2, "{\"topic_pattern\":\"(\"}"), 422, 422);
        error(proxy.post(base + "/subscription", V2, "{}"), 422, 422);
        error(proxy.post(base + "/positions", V2, "{\"offsets\":[{\"topic\":\"t\"}]}"), 422, 422);
        error(proxy.get(base + "/records?timeout=soon", BINARY_V2), 400, 400);
        error(proxy.get(base + "/records", "text/html"), 406, 406);

        // Still serving: the proxy produces, the broker round-trips.
        assertEquals(0, object(proxy.post(path, JSON_V2, "{\"records\":[{\"value\":1}]}")).getJsonArray("offsets")
                .getJsonObject(0).getInteger("offset"));
        RoundTrip.run(cluster, "after-bad-proxy-input", 1, 100, new Properties());
    }
}
