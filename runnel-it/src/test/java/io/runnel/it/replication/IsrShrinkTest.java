package io.runnel.it.replication;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ISR shrink and expansion with replica.lag.time.max.ms of two seconds: followers held back fall behind and leave
 * the ISR (the produce waiting for them is never acknowledged: under min.insync.replicas the high watermark stands
 * still, so it times out), acks=all under
 * min.insync.replicas=2 is then refused, and a follower let go catches up, rejoins and acks=all works again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IsrShrinkTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "shrinks";

    private static ThreeNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = ThreeNodes.start("replica.lag.time.max.ms", "2000");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, nodes.cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.RETRIES_CONFIG, "0");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @Test
    void acksAllIsRefusedWhileTheIsrIsUnderMinInsyncReplicasAndWorksWhenAReplicaReturns() throws Exception {
        nodes.createTopic(TOPIC);
        awaitCondition(WAIT, () -> nodes.isrSize(TOPIC) == 3, "a full ISR");
        int leader = nodes.leaderOf(TOPIC);
        List<Integer> followers = nodes.cluster.nodeIds().stream().filter(n -> n != leader).toList();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, "before")).get();

            nodes.pauseFetching(followers, true);
            // Followers at the leader's log end count as caught up however long they are silent (Kafka's rule):
            // a record they do not fetch makes them fall behind.
            Future<RecordMetadata> parked = producer.send(new ProducerRecord<>(TOPIC, "appended, then the ISR shrinks"));
            awaitCondition(WAIT, () -> nodes.isrSize(TOPIC) == 1, "the held-back followers leave the ISR");
            // Under min.insync.replicas the high watermark stands still (KIP-966): the appended record is never
            // acknowledged, and the parked produce ends at its timeout, as in Kafka 4.
            ExecutionException afterAppend = assertThrows(ExecutionException.class, parked::get);
            assertInstanceOf(TimeoutException.class, afterAppend.getCause());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(TOPIC, "refused")).get());
            assertInstanceOf(NotEnoughReplicasException.class, refused.getCause());

            nodes.pauseFetching(List.of(followers.get(0)), false);
            awaitCondition(WAIT, () -> nodes.isrSize(TOPIC) == 2, "the returning follower rejoins the ISR");
            producer.send(new ProducerRecord<>(TOPIC, "after")).get();
        } finally {
            nodes.pauseFetching(followers, false);
        }
    }
}
