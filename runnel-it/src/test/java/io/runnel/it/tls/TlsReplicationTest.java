package io.runnel.it.tls;

import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes whose inter-broker listener is SSL with {@code ssl.client.auth=required}: followers fetch over TLS
 * presenting the broker's own certificate (and check the leader's against 127.0.0.1, the default
 * {@code ssl.endpoint.identification.algorithm=https}). Records produced over TLS with acks=all reach every
 * replica; when the leader stops, another leads with every acknowledged record, and the stopped node, started
 * again, catches up and rejoins the ISR.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TlsReplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "tls-replicated";

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static RunnelCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TestPki.Identity broker = pki.server("broker");
        cluster = RunnelCluster.builder().nodes(3).sslListener()
                .brokerProperty("inter.broker.listener.name", "SSL")
                .brokerProperty("ssl.client.auth", "required")
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.location", broker.keystore("PKCS12").toString())
                .brokerProperty("ssl.keystore.password", TestPki.PASSWORD)
                .brokerProperty("ssl.truststore.type", "PEM")
                .brokerProperty("ssl.truststore.location", pki.caPem().toString())
                .start();
        admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
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

    @Test
    void followersReplicateOverTlsAndAStoppedLeaderCatchesUp() throws Exception {
        awaitCondition(WAIT, () -> brokers() == 3, "three unfenced brokers");
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all().get();
        awaitCondition(WAIT, () -> isr().size() == 3, "a full ISR");
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        produce(0, 1000, acknowledged);
        int oldLeader = leader();
        cluster.stop(oldLeader);
        awaitCondition(WAIT, () -> leader() >= 0 && leader() != oldLeader, "a new leader");
        produce(1000, 2000, acknowledged);
        assertEquals(2000, acknowledged.size());

        cluster.start(oldLeader);
        awaitCondition(WAIT, () -> isr().contains(oldLeader) && isr().size() == 3,
                "node " + oldLeader + " caught up over TLS and rejoined the ISR");
        int newLeader = leader();
        assertNotEquals(oldLeader, newLeader);
        List<String> read = readAll();
        assertEquals(acknowledged.size(), read.size());
        assertTrue(read.containsAll(acknowledged), "every acknowledged record");
    }

    private static void produce(int from, int to, List<String> acknowledged) throws Exception {
        Properties props = sslClient();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            for (int i = from; i < to; i++) {
                String value = Integer.toString(i);
                producer.send(new ProducerRecord<>(TOPIC, value.getBytes(StandardCharsets.UTF_8)), (m, e) -> {
                    if (e == null) {
                        acknowledged.add(value);
                    }
                });
            }
            producer.flush();
        }
    }

    private static List<String> readAll() {
        List<String> values = new ArrayList<>();
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(sslClient())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            awaitCondition(WAIT, () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
                return consumer.position(tp) >= end;
            }, "read " + TOPIC + " to offset " + end);
        }
        return values;
    }

    private static Properties sslClient() {
        Properties props = TlsClients.withCertificate(TlsClients.trusting(pki.caPem(), "PEM"),
                pki.client("app", "CN=app,O=Runnel"));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers("SSL"));
        return props;
    }

    private static int brokers() {
        try {
            return admin.describeCluster().nodes().get().size();
        } catch (ExecutionException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static TopicPartitionInfo partition() {
        try {
            TopicDescription description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
            return description.partitions().get(0);
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int leader() {
        TopicPartitionInfo info = partition();
        return info == null || info.leader() == null ? -1 : info.leader().id();
    }

    private static List<Integer> isr() {
        TopicPartitionInfo info = partition();
        return info == null ? List.of() : info.isr().stream().map(n -> n.id()).toList();
    }
}
