package io.runnel.it.quotas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.Futures;
import io.runnel.it.KafkaEndpoint;
import io.runnel.it.RunnelCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client quotas with kafka-clients: AlterClientQuotas and DescribeClientQuotas through the Admin client,
 * producer_byte_rate and consumer_byte_rate enforced (the client sees throttle times and its rate is bounded),
 * request_percentage (the client sees throttle times) and controller_mutation_rate (topics created or deleted beyond
 * it are refused with their throttle time). The
 * broker measures quotas over 2 windows of 1 s, so a client's allowance beyond its rate is about 2 s of it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientQuotasTest {
    /** Bytes a second allowed to the throttled clients. */
    static final double RATE = 50_000;
    static final int RECORDS = 400;
    private static final int VALUE_BYTES = 1024;
    /**
     * The least time {@link #RECORDS} records of {@link #VALUE_BYTES} can take at {@link #RATE}: 8.2 s at the rate,
     * less 2 s of allowance, halved for margin. Unthrottled, they take a fraction of a second.
     */
    static final long LEAST_MS = 3_000;

    private static RunnelCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().brokerProperty("quota.window.num", "2")
                .brokerProperty("quota.window.size.seconds", "1").start();
        admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ClientQuotaEntity entity(String type, String name) {
        return new ClientQuotaEntity(Collections.singletonMap(type, name));
    }

    private static ClientQuotaEntity userAndClient(String user, String clientId) {
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.USER, user);
        entries.put(ClientQuotaEntity.CLIENT_ID, clientId);
        return new ClientQuotaEntity(entries);
    }

    private static ClientQuotaAlteration alteration(ClientQuotaEntity entity, String key, Double value) {
        return new ClientQuotaAlteration(entity, List.of(new ClientQuotaAlteration.Op(key, value)));
    }

    /** Sets the quota and waits until the broker's metadata has it. */
    static void setQuota(Admin admin, ClientQuotaEntity entity, String key, double value) throws Exception {
        admin.alterClientQuotas(List.of(alteration(entity, key, value))).all().get();
        Await.awaitCondition(Duration.ofSeconds(30), () -> Double.valueOf(value).equals(Futures.get(
                        admin.describeClientQuotas(ClientQuotaFilter.all()).entities())
                        .getOrDefault(entity, Map.of()).get(key)),
                entity + " has " + key + " " + value);
    }

    private static Map<ClientQuotaEntity, Map<String, Double>> described(ClientQuotaFilter filter) {
        return Futures.get(admin.describeClientQuotas(filter).entities());
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name)).findFirst()
                .map(e -> (Double) e.getValue().metricValue()).orElseThrow();
    }

    @Test
    void quotasAreSetDescribedFilteredAndRemovedThroughTheAdminClient() throws Exception {
        ClientQuotaEntity alice = entity(ClientQuotaEntity.USER, "alice");
        ClientQuotaEntity defaultUser = entity(ClientQuotaEntity.USER, null);
        ClientQuotaEntity bobApp = userAndClient("bob", "app");
        admin.alterClientQuotas(List.of(
                new ClientQuotaAlteration(alice, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0),
                        new ClientQuotaAlteration.Op("request_percentage", 50.0))),
                alteration(defaultUser, "controller_mutation_rate", 5.0),
                alteration(bobApp, "controller_mutation_rate", 10.0))).all().get();
        Await.awaitCondition(Duration.ofSeconds(30), () -> described(ClientQuotaFilter.all()).containsKey(bobApp),
                "the quotas are in the broker's metadata");

        Map<ClientQuotaEntity, Map<String, Double>> all = described(ClientQuotaFilter.all());
        assertEquals(Map.of("producer_byte_rate", 1024.0, "request_percentage", 50.0), all.get(alice));
        assertEquals(Map.of("controller_mutation_rate", 5.0), all.get(defaultUser));
        assertEquals(Map.of("controller_mutation_rate", 10.0), all.get(bobApp));
        assertEquals(List.of(alice), List.copyOf(described(ClientQuotaFilter.containsOnly(
                List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "alice")))).keySet()));
        assertEquals(List.of(defaultUser), List.copyOf(described(ClientQuotaFilter.containsOnly(
                List.of(ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.USER)))).keySet()));
        Map<ClientQuotaEntity, Map<String, Double>> users = described(ClientQuotaFilter.containsOnly(
                List.of(ClientQuotaFilterComponent.ofEntityType(ClientQuotaEntity.USER))));
        assertTrue(users.keySet().containsAll(List.of(alice, defaultUser)) && !users.containsKey(bobApp),
                "a strict filter on users leaves out the user and client-id entity: " + users.keySet());
        assertTrue(described(ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntity(
                ClientQuotaEntity.CLIENT_ID, "app")))).containsKey(bobApp));

        admin.alterClientQuotas(List.of(alteration(alice, "producer_byte_rate", null))).all().get();
        Await.awaitCondition(Duration.ofSeconds(30), () -> Map.of("request_percentage", 50.0).equals(
                described(ClientQuotaFilter.all()).get(alice)), "alice's producer_byte_rate is removed");

        // A default user's quota outranks the client-id quotas the other tests set: it goes.
        admin.alterClientQuotas(List.of(alteration(defaultUser, "controller_mutation_rate", null))).all().get();
        Await.awaitCondition(Duration.ofSeconds(30), () -> !described(ClientQuotaFilter.all()).containsKey(defaultUser),
                "the default user's quota is removed");
    }

    @Test
    void anInvalidQuotaIsRefusedWithWhyAndValidateOnlyChangesNothing() throws Exception {
        ClientQuotaEntity carol = entity(ClientQuotaEntity.USER, "carol");
        ExecutionException e = assertThrows(ExecutionException.class, () -> admin.alterClientQuotas(List.of(
                alteration(carol, "producer_byte_rate", 1.5))).all().get());
        assertInstanceOf(InvalidRequestException.class, e.getCause());
        assertEquals("Configuration producer_byte_rate must be a Long value", e.getCause().getMessage());
        e = assertThrows(ExecutionException.class, () -> admin.alterClientQuotas(List.of(
                alteration(carol, "fetch_byte_rate", 1.0))).all().get());
        assertEquals("Invalid configuration key fetch_byte_rate", e.getCause().getMessage());

        admin.alterClientQuotas(List.of(alteration(carol, "producer_byte_rate", 1.0)),
                new AlterClientQuotasOptions().validateOnly(true)).all().get();
        setQuota(admin, entity(ClientQuotaEntity.USER, "dave"), "producer_byte_rate", 1.0);
        assertFalse(described(ClientQuotaFilter.all()).containsKey(carol), "validateOnly stored nothing");
    }

    @Test
    void aProducerAboveItsByteRateIsThrottledToItAndOthersAreNot() throws Exception {
        cluster.createTopic("quota-produce", 1);
        setQuota(admin, entity(ClientQuotaEntity.CLIENT_ID, "slow-producer"), "producer_byte_rate", RATE);
        long started = System.nanoTime();
        double throttled = produce("slow-producer", "quota-produce");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(throttled > 0, "the producer saw throttle times, longest " + throttled);
        System.out.printf("kafka-clients producer: %d KiB at a quota of %.0f bytes/s: %d ms%n",
                RECORDS, RATE, elapsedMs);
        assertTrue(elapsedMs >= LEAST_MS, RECORDS + " KiB at " + RATE + " bytes/s took only " + elapsedMs + " ms");

        assertFalse(produce("free-producer", "quota-produce") > 0, "a producer without a quota is not throttled");
    }

    @Test
    void aConsumerAboveItsByteRateIsThrottledToIt() throws Exception {
        cluster.createTopic("quota-fetch", 1);
        produce("quota-fetch-writer", "quota-fetch");
        setQuota(admin, entity(ClientQuotaEntity.CLIENT_ID, "slow-consumer"), "consumer_byte_rate", RATE);
        Properties props = new Properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "slow-consumer");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(props)) {
            TopicPartition partition = new TopicPartition("quota-fetch", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long started = System.nanoTime();
            int read = 0;
            while (read < RECORDS) {
                read += consumer.poll(Duration.ofSeconds(1)).count();
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(120), "read " + read + " in 120 s");
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            double throttled = metric(consumer.metrics(), "fetch-throttle-time-max");
            assertTrue(throttled > 0, "the consumer saw throttle times, longest " + throttled);
            System.out.printf("kafka-clients consumer: %d KiB at a quota of %.0f bytes/s: %d ms%n",
                RECORDS, RATE, elapsedMs);
        assertTrue(elapsedMs >= LEAST_MS, RECORDS + " KiB at " + RATE + " bytes/s took only " + elapsedMs + " ms");
        }
    }

    @Test
    void topicMutationsAboveTheControllerMutationRateAreRefusedWithTheirThrottleTimeThenRetried() throws Exception {
        // A quarter of a partition a second over 2 windows of 1 s: a burst of half a partition, then 4 s a partition.
        setQuota(admin, entity(ClientQuotaEntity.CLIENT_ID, "slow-admin"), "controller_mutation_rate", 0.25);
        try (Admin slow = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                "client.id", "slow-admin"))) {
            CreateTopicsResult created = slow.createTopics(List.of(new NewTopic("mutated-1", 3, (short) 1),
                    new NewTopic("mutated-2", 3, (short) 1)), new CreateTopicsOptions().retryOnQuotaViolation(false));
            // The first topic of the request takes the burst and goes 2.5 partitions (10 s) beyond it; the second is
            // refused.
            List<String> refused = new ArrayList<>();
            for (String topic : List.of("mutated-1", "mutated-2")) {
                try {
                    created.values().get(topic).get();
                } catch (ExecutionException e) {
                    ThrottlingQuotaExceededException throttled = assertInstanceOf(
                            ThrottlingQuotaExceededException.class, e.getCause());
                    assertTrue(throttled.throttleTimeMs() > 0, "the refusal says how long to wait");
                    refused.add(topic);
                }
            }
            assertEquals(1, refused.size(), "refused: " + refused);
            String made = refused.contains("mutated-1") ? "mutated-2" : "mutated-1";

            // The client waits out the throttle before its next request to the broker, by when the quota allows it
            // again: another connection of the same client id, not held back, shows the quota still exceeded.
            try (Admin sameClient = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                    "client.id", "slow-admin"))) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> sameClient.deleteTopics(
                        List.of(made), new DeleteTopicsOptions().retryOnQuotaViolation(false)).all().get());
                assertInstanceOf(ThrottlingQuotaExceededException.class, e.getCause());
            }

            // By default Admin waits the throttle time and tries again.
            slow.createTopics(List.of(new NewTopic(refused.get(0), 1, (short) 1))).all().get();
        }
        try (Admin other = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                "client.id", "free-admin"))) {
            other.createTopics(List.of(new NewTopic("unmutated", 5, (short) 1)),
                    new CreateTopicsOptions().retryOnQuotaViolation(false)).all().get();
        }
    }

    @Test
    void aClientOverItsRequestPercentageIsThrottled() throws Exception {
        cluster.createTopic("quota-requests", 1);
        // A hundredth of a percent of a thread: 100 µs of handling a second.
        setQuota(admin, entity(ClientQuotaEntity.CLIENT_ID, "busy-client"), "request_percentage", 0.01);
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "busy-client");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            double throttled = Double.NaN;
            for (int i = 0; i < 200 && !(throttled > 0); i++) {
                producer.send(new ProducerRecord<>("quota-requests", 0, null, new byte[1])).get();
                throttled = metric(producer.metrics(), "produce-throttle-time-max");
            }
            assertTrue(throttled > 0, "200 produce requests and no throttle time");
        }
    }

    /** Sends the records as client {@code clientId}; returns the longest throttle time the producer saw. */
    private static double produce(String clientId, String topic) throws Exception {
        return produce(cluster, clientId, topic, 0);
    }

    /**
     * Writes {@link #RECORDS} records of {@link #VALUE_BYTES} to one partition as {@code clientId}; returns the
     * longest throttle time the producer was given.
     */
    static double produce(KafkaEndpoint endpoint, String clientId, String topic, int partition) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        try (KafkaProducer<byte[], byte[]> producer = endpoint.producer(props)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, partition, null, new byte[VALUE_BYTES]));
            }
            producer.flush();
            double max = metric(producer.metrics(), "produce-throttle-time-max");
            return Double.isNaN(max) ? 0 : max;
        }
    }
}
