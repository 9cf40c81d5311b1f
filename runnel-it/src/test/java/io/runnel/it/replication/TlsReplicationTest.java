package io.runnel.it.replication;

import io.runnel.it.RunnelCluster;
import io.runnel.it.tls.TestPki;
import io.runnel.it.tls.TlsClients;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    private static ThreeNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir);
        TestPki.Identity broker = pki.server("broker");
        nodes = ThreeNodes.start(RunnelCluster.builder().sslListener()
                .brokerProperty("inter.broker.listener.name", "SSL")
                .brokerProperty("ssl.client.auth", "required")
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.location", broker.keystore("PKCS12").toString())
                .brokerProperty("ssl.keystore.password", TestPki.PASSWORD)
                .brokerProperty("ssl.truststore.type", "PEM")
                .brokerProperty("ssl.truststore.location", pki.caPem().toString()));
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void followersReplicateOverTlsAndAStoppedLeaderCatchesUp() throws Exception {
        nodes.createTopic(TOPIC);
        awaitCondition(WAIT, () -> nodes.isrSize(TOPIC) == 3, "a full ISR");
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        produce(0, 1000, acknowledged);
        int oldLeader = nodes.leaderOf(TOPIC);
        nodes.cluster.stop(oldLeader);
        awaitCondition(WAIT, () -> nodes.leaderOf(TOPIC) != oldLeader, "a new leader");
        produce(1000, 2000, acknowledged);
        assertEquals(2000, acknowledged.size());

        nodes.cluster.start(oldLeader);
        awaitCondition(WAIT, () -> nodes.isrSize(TOPIC) == 3,
                "node " + oldLeader + " caught up over TLS and rejoined the ISR");
        List<String> read = readAll();
        assertEquals(acknowledged.size(), read.size());
        assertTrue(read.containsAll(acknowledged), "every acknowledged record");
    }

    private static void produce(int from, int to, List<String> acknowledged) throws Exception {
        Properties props = sslClient();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        try (KafkaProducer<byte[], byte[]> producer = nodes.cluster.producer(props)) {
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
        try (KafkaConsumer<byte[], byte[]> consumer = nodes.cluster.consumer(sslClient())) {
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
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, nodes.cluster.bootstrapServers("SSL"));
        return props;
    }
}
