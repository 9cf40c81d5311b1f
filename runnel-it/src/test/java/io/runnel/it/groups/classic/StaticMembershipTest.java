package io.runnel.it.groups.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What must be shown 4: a static member (group.instance.id) restarted within its session timeout gets its partitions
 * back and the group does not rebalance: the other members keep their generation and partitions.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticMembershipTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private RunnelCluster cluster;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().brokerProperty("offsets.topic.num.partitions", "3").start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void restartedStaticMemberGetsItsPartitionsBackWithoutRebalance() throws Exception {
        String topic = "static-members";
        String group = "static-group";
        cluster.createTopic(topic, 6);
        List<GroupWorker> workers = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                workers.add(new GroupWorker(cluster, "s" + i, group, topic, staticMember("instance-" + i)));
            }
            Await.awaitCondition(WAIT, () -> ownedCount(workers) == 6 && workers.stream().allMatch(w -> !w.owned.isEmpty())
                    && workers.stream().map(w -> w.generation).distinct().count() == 1 && workers.get(0).generation > 0,
                    "three static members share the six partitions in one generation");
            int generation = workers.get(0).generation;
            Set<TopicPartition> restartedOwned = Set.copyOf(workers.get(1).owned);
            Set<TopicPartition> firstOwned = Set.copyOf(workers.get(0).owned);
            Set<TopicPartition> thirdOwned = Set.copyOf(workers.get(2).owned);
            String oldMemberId = workers.get(1).memberId;

            workers.get(1).close();
            GroupWorker restarted = new GroupWorker(cluster, "s2-again", group, topic, staticMember("instance-2"));
            workers.set(1, restarted);
            Await.awaitCondition(WAIT, () -> restarted.owned.equals(restartedOwned) && restarted.generation == generation,
                    "the restarted member owns " + restartedOwned + " in generation " + generation);

            assertNotEquals(oldMemberId, restarted.memberId, "a restarted static member gets a new member id");
            assertEquals(generation, workers.get(0).generation, "no rebalance for s1");
            assertEquals(generation, workers.get(2).generation, "no rebalance for s3");
            assertEquals(firstOwned, workers.get(0).owned);
            assertEquals(thirdOwned, workers.get(2).owned);
            try (Admin admin = cluster.admin()) {
                ConsumerGroupDescription description =
                        Futures.get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
                assertEquals(GroupState.STABLE, description.groupState());
                assertEquals(3, description.members().size());
                Set<String> instances = new HashSet<>();
                description.members().forEach(m -> instances.add(m.groupInstanceId().orElseThrow()));
                assertEquals(Set.of("instance-1", "instance-2", "instance-3"), instances);
            }
        } finally {
            for (GroupWorker w : workers) {
                w.close();
            }
        }
    }

    private static Properties staticMember(String instanceId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
        return props;
    }

    private static int ownedCount(List<GroupWorker> workers) {
        Set<TopicPartition> union = new HashSet<>();
        workers.forEach(w -> union.addAll(w.owned));
        return union.size();
    }
}
