package io.runnel.it.registry;

import static io.runnel.it.registry.RegistryHttp.schemaBody;
import static io.runnel.it.registry.SchemaRegistryApiTest.object;
import static io.runnel.it.registry.SchemaRegistryApiTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three registry instances on one broker elect one writer, as Confluent's leader.eligibility does: the eligible
 * instance with the lowest URL leads, writes sent to the others are made by it (one id sequence), an instance with
 * leader.eligibility=false never writes itself, every instance serves every schema, and when the leader stops the
 * other eligible instance takes over with larger ids. With no eligible instance left, writes answer 50004.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SchemaRegistryLeaderTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void oneLeaderWritesForEveryInstanceAndAnotherTakesOverWhenItStops() throws Exception {
        List<RegistryHttp> running = new ArrayList<>();
        try (RunnelCluster cluster = RunnelCluster.builder().start()) {
            RegistryHttp first = start(cluster, true, running);
            RegistryHttp second = start(cluster, true, running);
            RegistryHttp never = start(cluster, false, running);
            RegistryHttp leader = first.url().compareTo(second.url()) < 0 ? first : second;
            RegistryHttp follower = leader == first ? second : first;

            int viaIneligible = register(never, 0);
            int viaFollower = register(follower, 1);
            int viaLeader = register(leader, 2);
            assertEquals(List.of(viaIneligible + 1, viaIneligible + 2), List.of(viaFollower, viaLeader),
                    "one writer gives the next id wherever the write arrives");
            for (RegistryHttp instance : running) {
                awaitSchemas(instance, viaIneligible, viaFollower, viaLeader);
            }

            leader.close();
            running.remove(leader);
            int afterFailover = awaitRegistered(never, 3);
            assertTrue(afterFailover > viaLeader, "the new leader gives " + afterFailover + " after " + viaLeader);
            awaitSchemas(follower, afterFailover);
            awaitSchemas(never, viaIneligible, viaFollower, viaLeader, afterFailover);

            follower.close();
            running.remove(follower);
            Await.awaitCondition(WAIT, () -> errorCode(post(never, 4)) == 50004,
                    "an ineligible instance alone answers writes with 50004: it never leads");
            ok(never.get("/schemas/ids/" + afterFailover));
        } finally {
            running.forEach(RegistryHttp::close);
        }
    }

    private static RegistryHttp start(RunnelCluster cluster, boolean eligible, List<RegistryHttp> running)
            throws Exception {
        RegistryHttp registry = RegistryHttp.start(cluster.bootstrapServers(),
                Map.of("leader.eligibility", String.valueOf(eligible)));
        running.add(registry);
        return registry;
    }

    /** The {@code n}th schema: records differing in their doc, each a new schema compatible with the others. */
    private static HttpResponse<String> post(RegistryHttp registry, int n) {
        String schema = "{\"type\":\"record\",\"name\":\"Led\",\"doc\":\"" + n + "\",\"fields\":[{\"name\":\"f\","
                + "\"type\":\"int\"}]}";
        try {
            return registry.post("/subjects/led-value/versions", schemaBody(schema));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int register(RegistryHttp registry, int n) {
        return object(ok(post(registry, n))).getInteger("id");
    }

    /** Registers once the instances agree on the new leader (until then a write may reach the stopped one: 50003). */
    private static int awaitRegistered(RegistryHttp registry, int n) {
        int[] id = {-1};
        Await.awaitCondition(WAIT, () -> {
            HttpResponse<String> answer = post(registry, n);
            if (answer.statusCode() == 200) {
                id[0] = object(answer).getInteger("id");
            }
            return id[0] > 0;
        }, "a write is made by the new leader");
        return id[0];
    }

    private static void awaitSchemas(RegistryHttp registry, int... ids) {
        for (int id : ids) {
            Await.awaitCondition(WAIT, () -> {
                try {
                    return registry.get("/schemas/ids/" + id).statusCode() == 200;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, registry.url() + " serves schema " + id);
        }
    }

    private static int errorCode(HttpResponse<String> answer) {
        return answer.statusCode() == 200 ? 0 : object(answer).getInteger("error_code");
    }
}
