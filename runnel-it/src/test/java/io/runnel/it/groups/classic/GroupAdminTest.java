package io.runnel.it.groups.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** ListGroups with state and type filters, DescribeGroups, OffsetDelete and DeleteGroups through the Admin client. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupAdminTest {
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
    void groupsAreListedDescribedAndDeleted() throws Exception {
        String topic = "admin-topic";
        cluster.createTopic(topic, 3);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = cluster.admin();
             GroupWorker member = new GroupWorker(cluster, "member-a", "admin-stable", topic, new Properties())) {
            Futures.get(admin.alterConsumerGroupOffsets("admin-empty", Map.of(tp, new OffsetAndMetadata(0))).all());
            Await.awaitCondition(Duration.ofSeconds(60), () -> member.owned.size() == 3, "the member owns the topic");

            assertEquals(Set.of("admin-stable"), listed(admin, new ListGroupsOptions().inGroupStates(Set.of(GroupState.STABLE))));
            assertEquals(Set.of("admin-empty"), listed(admin, new ListGroupsOptions().inGroupStates(Set.of(GroupState.EMPTY))));
            assertEquals(Set.of("admin-stable", "admin-empty"),
                    listed(admin, new ListGroupsOptions().withTypes(Set.of(GroupType.CLASSIC))));
            assertEquals(Set.of(), listed(admin, new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER))));

            ConsumerGroupDescription description =
                    Futures.get(admin.describeConsumerGroups(List.of("admin-stable")).describedGroups().get("admin-stable"));
            assertEquals(GroupState.STABLE, description.groupState());
            assertEquals(GroupType.CLASSIC, description.type());
            MemberDescription only = description.members().iterator().next();
            assertEquals("member-a", only.clientId());
            assertEquals(Set.copyOf(TopicReader.partitions(topic, 3)), only.assignment().topicPartitions());

            Futures.get(admin.deleteConsumerGroupOffsets("admin-empty", Set.of(tp)).all());
            assertTrue(Futures.get(admin.listConsumerGroupOffsets("admin-empty").partitionsToOffsetAndMetadata()).isEmpty());
            Futures.get(admin.deleteConsumerGroups(List.of("admin-empty")).all());
            Futures.assertFailsWith(GroupIdNotFoundException.class,
                    admin.describeConsumerGroups(List.of("admin-empty")).describedGroups().get("admin-empty"));
            assertFalse(listed(admin, new ListGroupsOptions()).contains("admin-empty"));
        }
    }

    private static Set<String> listed(Admin admin, ListGroupsOptions options) {
        return Futures.get(admin.listGroups(options).all()).stream().map(GroupListing::groupId).collect(Collectors.toSet());
    }
}
