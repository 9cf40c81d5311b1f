package io.runnel.it.replication;

import io.runnel.it.RunnelCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.runnel.it.Await.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * ISR shrink and expansion with replica.lag.time.max.ms of two seconds: followers held back leave the ISR, acks=all
 * under min.insync.replicas=2 is refused, and a follower let go catches up, rejoins and acks=all works again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IsrShrinkTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "shrinks";

    private static RunnelCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().nodes(3).brokerProperty("replica.lag.time.max.ms", "2000").start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
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

    private static TopicPartitionInfo describe() {
        try {
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().get(0);
        } catch (InterruptedException | ExecutionException e) {
            // Not yet known where the request landed (metadata is applied asynchronously): ask again.
            return null;
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.RETRIES_CONFIG, "0");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @Test
    void acksAllIsRefusedWhileTheIsrIsUnderMinInsyncReplicasAndWorksWhenAReplicaReturns() throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)
                .configs(Map.of("min.insync.replicas", "2")))).all().get();
        awaitCondition(WAIT, () -> describe() != null && describe().leader() != null && describe().isr().size() == 3,
                "a full ISR");
        int leader = describe().leader().id();
        List<Integer> followers = cluster.nodeIds().stream().filter(n -> n != leader).toList();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, "before")).get();

            followers.forEach(n -> cluster.server(n).replicaManager().pauseFollowerFetching(true));
            awaitCondition(WAIT, () -> describe() != null && describe().isr().size() == 1, "the held-back followers leave the ISR");
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(TOPIC, "refused")).get());
            assertInstanceOf(NotEnoughReplicasException.class, refused.getCause());

            cluster.server(followers.get(0)).replicaManager().pauseFollowerFetching(false);
            awaitCondition(WAIT, () -> describe() != null && describe().isr().size() == 2, "the returning follower rejoins the ISR");
            producer.send(new ProducerRecord<>(TOPIC, "after")).get();
        } finally {
            followers.forEach(n -> cluster.server(n).replicaManager().pauseFollowerFetching(false));
        }
    }
}
