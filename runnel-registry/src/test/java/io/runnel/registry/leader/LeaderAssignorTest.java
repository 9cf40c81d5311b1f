package io.runnel.registry.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.junit.jupiter.api.Test;

/**
 * The election inside the group: the eligible member with the lowest URL leads, an ineligible one never does, two
 * members with one URL elect no one, and each member learns whether it is the leader.
 */
class LeaderAssignorTest {
    private final LeaderElection election = new LeaderElection(Map.of(), "schema-registry", true, "_schemas");
    private final LeaderAssignor assignor = new LeaderAssignor();

    LeaderAssignorTest() {
        assignor.configure(Map.of(LeaderAssignor.ELECTION_CONFIG, election));
    }

    @Test
    void theEligibleMemberWithTheLowestUrlLeadsAndEveryMemberIsTold() {
        Map<String, Subscription> members = new LinkedHashMap<>();
        members.put("m-a", member("http://a:8081", false));
        members.put("m-c", member("http://c:8081", true));
        members.put("m-b", member("http://b:8081", true));
        GroupAssignment assignment = assignor.assign(Cluster.empty(), new GroupSubscription(members));
        assertEquals(members.keySet(), assignment.groupAssignment().keySet());
        for (Assignment each : assignment.groupAssignment().values()) {
            assertTrue(each.partitions().isEmpty(), "the group assigns no partition");
        }

        assignor.onAssignment(assignment.groupAssignment().get("m-b"), metadata("m-b", 4));
        assertEquals(new LeaderElection.Leader("http://b:8081", true, 4), election.current());
        assignor.onAssignment(assignment.groupAssignment().get("m-a"), metadata("m-a", 5));
        assertEquals(new LeaderElection.Leader("http://b:8081", false, 5), election.current());
    }

    @Test
    void noEligibleMemberOrADuplicateUrlElectsNoOne() {
        GroupAssignment none = assignor.assign(Cluster.empty(), new GroupSubscription(Map.of(
                "m-a", member("http://a:8081", false))));
        assignor.onAssignment(none.groupAssignment().get("m-a"), metadata("m-a", 1));
        assertNull(election.current().url());
        assertFalse(election.current().self());

        GroupAssignment duplicate = assignor.assign(Cluster.empty(), new GroupSubscription(Map.of(
                "m-a", member("http://a:8081", true), "m-b", member("http://a:8081", true))));
        assignor.onAssignment(duplicate.groupAssignment().get("m-a"), metadata("m-a", 2));
        assertNull(election.current().url());
    }

    private static Subscription member(String url, boolean eligible) {
        return new Subscription(List.of("_schemas"), ByteBuffer.wrap(new JsonObject().put("url", url)
                .put("eligible", eligible).toBuffer().getBytes()));
    }

    private static ConsumerGroupMetadata metadata(String memberId, int generation) {
        return new ConsumerGroupMetadata("schema-registry", generation, memberId, Optional.empty());
    }
}
