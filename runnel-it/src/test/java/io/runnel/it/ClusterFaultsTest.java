package io.runnel.it;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three Runnel JVMs started from their own properties files: placement, controller failover after kill -9,
 * the quorum's loss, and fencing of a broker stopped with SIGSTOP.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> FAST_SESSIONS = Map.of(
            "broker.heartbeat.interval.ms", "300", "broker.session.timeout.ms", "3000");

    private static Admin admin(KafkaEndpoint node) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        // A request sent to a stopped node is abandoned soon, so the next goes to a live one.
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return Admin.create(props);
    }

    private static int activeController(Admin admin) {
        AtomicReference<Integer> id = new AtomicReference<>(-1);
        Await.awaitCondition(WAIT, () -> {
            Node controller = get(admin.describeCluster().controller());
            id.set(controller == null ? -1 : controller.id());
            return id.get() >= 0;
        }, "an active controller is known");
        return id.get();
    }

    /** The topic's description, or null when it is not known yet or the node asked did not answer in time. */
    private static TopicDescription describe(Admin admin, String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void threeNodesFromTheirFilesSpreadLeadersAndSurviveTheActiveControllersDeath() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3, Map.of())) {
            int controller;
            try (Admin admin = admin(cluster)) {
                get(admin.createTopics(List.of(new NewTopic("spread", 3, (short) 3))).all());
                Await.awaitCondition(WAIT, () -> describe(admin, "spread") != null, "spread is described");
                Set<Integer> leaders = describe(admin, "spread").partitions().stream()
                        .map(p -> p.leader().id()).collect(Collectors.toSet());
                assertEquals(Set.of(1, 2, 3), leaders);
                controller = activeController(admin);
            }

            cluster.node(controller).kill9();
            int survivor = cluster.nodeIds().stream().filter(id -> id != controller).findFirst().orElseThrow();
            try (Admin admin = admin(cluster.node(survivor))) {
                Await.awaitCondition(WAIT, () -> activeController(admin) != controller, "a new controller is elected");
                get(admin.createTopics(List.of(new NewTopic("after-failover", 1, (short) 2))).all());
                Await.awaitCondition(WAIT, () -> describe(admin, "after-failover") != null, "the new topic is seen");
            }
        }
    }

    @Test
    void withoutAMajorityMetadataChangesFailWhileTheLeadersOfExistingPartitionsServe() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3, Map.of())) {
            try (Admin admin = admin(cluster)) {
                get(admin.createTopics(List.of(new NewTopic("on-three", Map.of(0, List.of(3))))).all());
                Await.awaitCondition(WAIT, () -> describe(admin, "on-three") != null, "on-three is described");
            }
            cluster.node(1).kill9();
            cluster.node(2).kill9();

            RunnelProcess last = cluster.node(3);
            Properties shortTimeouts = new Properties();
            shortTimeouts.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, last.bootstrapServers());
            shortTimeouts.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "45000");
            try (Admin admin = Admin.create(shortTimeouts)) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> admin.createTopics(List.of(new NewTopic("no-quorum", 1, (short) 1))).all()
                                .get(60, TimeUnit.SECONDS));
                assertTrue(failed.getCause() instanceof TimeoutException,
                        failed.getCause().toString());
            }
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.ACKS_CONFIG, "1");
            try (KafkaProducer<byte[], byte[]> producer = last.producer(producerProps)) {
                assertEquals(0, get(producer.send(new ProducerRecord<>("on-three", 0, null, new byte[] {1}))).offset());
            }
        }
    }

    @Test
    void aStoppedBrokerIsFencedAndItsLeadershipsMoveThenItIsUnfenced() throws Exception {
        try (RunnelProcessCluster cluster = RunnelProcessCluster.start(3, FAST_SESSIONS)) {
            int victim;
            int observer;
            try (Admin admin = admin(cluster)) {
                int controller = activeController(admin);
                victim = cluster.nodeIds().stream().filter(id -> id != controller).findFirst().orElseThrow();
                observer = controller;
                get(admin.createTopics(List.of(new NewTopic("led", Map.of(0, List.of(victim, controller))))).all());
                Await.awaitCondition(WAIT, () -> describe(admin, "led") != null, "led is described");
                assertEquals(victim, describe(admin, "led").partitions().get(0).leader().id());
            }
            RunnelProcess stopped = cluster.node(victim);
            stopped.pause();
            try (Admin admin = admin(cluster.node(observer))) {
                Await.awaitCondition(WAIT, () -> {
                    TopicDescription led = describe(admin, "led");
                    TopicPartitionInfo p = led == null ? null : led.partitions().get(0);
                    return p != null && p.leader() != null && p.leader().id() == observer && p.isr().size() == 1;
                }, "the leadership moves to the other ISR member and the stopped broker leaves the ISR");
                Await.awaitCondition(WAIT, () -> {
                    Set<Integer> listed = brokers(admin);
                    return !listed.isEmpty() && !listed.contains(victim);
                }, "the fenced broker is not listed");
                stopped.resume();
                Await.awaitCondition(WAIT, () -> brokers(admin).contains(victim), "the resumed broker is unfenced");
                assertNotEquals(victim, describe(admin, "led").partitions().get(0).leader().id());
            } finally {
                stopped.resume();
            }
        }
    }

    /** The brokers the cluster lists (empty when the node asked did not answer in time). */
    private static Set<Integer> brokers(Admin admin) {
        try {
            return new HashSet<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id)
                    .toList());
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
