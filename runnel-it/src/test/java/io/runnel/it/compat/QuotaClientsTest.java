package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.runnel.it.Await;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * producer_byte_rate with librdkafka (confluent-kafka-python, {@code quota_producer_driver.py}: its throttle callback
 * reports the broker's throttle times, and the requests it pipelines wait for the throttle as Kafka makes them) and
 * KafkaJS ({@code kafkajs-quota.js}): 400 records of 1 KiB from a client id
 * limited to 50,000 bytes a second take at least 3 s (8.2 s at the rate, less the 2 s the broker's 2 windows of 1 s
 * allow beyond it, halved for margin), where they take a fraction of a second unthrottled.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaClientsTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path KAFKAJS = ClientCommand.clientsDir().resolve("kafkajs");
    private static final double RATE = 50_000;
    private static final int RECORDS = 400;
    private static final int VALUE_BYTES = 1024;
    private static final long LEAST_MS = 3_000;
    private RunnelCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = RunnelCluster.builder().brokerProperty("quota.window.num", "2")
                .brokerProperty("quota.window.size.seconds", "1").start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void limit(String clientId) throws Exception {
        ClientQuotaEntity entity = new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, clientId));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", RATE))))).all().get();
            Await.awaitCondition(Duration.ofSeconds(30), () -> Futures.get(admin.describeClientQuotas(
                    ClientQuotaFilter.all()).entities()).containsKey(entity),
                    "the broker's metadata has the quota of " + clientId);
        }
    }

    @Test
    void librdkafkaSeesTheThrottleTimesAndIsHeldToTheRate() throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python", "apt-get install python3-confluent-kafka",
                PYTHON, "-c", "import confluent_kafka");
        cluster.createTopic("quota-librdkafka", 1);
        limit("slow-librdkafka");
        long started = System.nanoTime();
        String out = ClientCommand.run("", List.of(PYTHON, ClientCommand.clientsDir().resolve("python")
                .resolve("quota_producer_driver.py").toString(), cluster.bootstrapServers(), "quota-librdkafka",
                "slow-librdkafka", Integer.toString(RECORDS), Integer.toString(VALUE_BYTES)));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long throttled = Long.parseLong(out.strip().replace("throttle-time-max ", ""));
        assertTrue(throttled > 0, "librdkafka's throttle callback saw no throttle time: " + out);
        System.out.printf("librdkafka: %d KiB at a quota of %.0f bytes/s: %d ms%n",
                RECORDS, RATE, elapsedMs);
        assertTrue(elapsedMs >= LEAST_MS, RECORDS + " KiB at " + RATE + " bytes/s took only " + elapsedMs + " ms");
    }

    @Test
    void kafkaJsIsHeldToTheRate() throws Exception {
        ClientCommand.requireInstalled("node", "apt-get install nodejs", "node", "--version");
        if (!Files.isRegularFile(KAFKAJS.resolve("node_modules").resolve("kafkajs").resolve("package.json"))) {
            fail("KafkaJS is not installed: run npm ci in " + KAFKAJS + "; .ci/run does");
        }
        cluster.createTopic("quota-kafkajs", 1);
        limit("slow-kafkajs");
        long started = System.nanoTime();
        String out = ClientCommand.run("", List.of("node", KAFKAJS.resolve("kafkajs-quota.js").toString(),
                cluster.bootstrapServers(), "quota-kafkajs", "slow-kafkajs", Integer.toString(RECORDS),
                Integer.toString(VALUE_BYTES)));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("done", out.strip());
        System.out.printf("KafkaJS: %d KiB at a quota of %.0f bytes/s: %d ms%n",
                RECORDS, RATE, elapsedMs);
        assertTrue(elapsedMs >= LEAST_MS, RECORDS + " KiB at " + RATE + " bytes/s took only " + elapsedMs + " ms");
    }
}
