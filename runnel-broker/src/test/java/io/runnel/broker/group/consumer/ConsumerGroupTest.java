package io.runnel.broker.group.consumer;

import io.runnel.metadata.MetadataDelta;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.TopicRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsumerGroupTest {
    private static final short VERSION = 1;
    private static final int SESSION_TIMEOUT = 1000;
    private static final Uuid TOPIC_ID = new Uuid(7, 7);

    private final FakeTimer timer = new FakeTimer();
    private final ConsumerGroupConfig config = new ConsumerGroupConfig(100, SESSION_TIMEOUT, 4,
            List.of(new UniformAssignor(), new RangeAssignor()));
    private final ConsumerGroup group = new ConsumerGroup("g", config, timer, () -> timer.now, () -> { });
    private final MetadataImage image = image(6);

    @Test
    void membersOwnDisjointPartitionsThroughJoinsAndLeaves() {
        List<Client> clients = new ArrayList<>(List.of(new Client("a"), new Client("b"), new Client("c")));
        heartbeatUntilStable(clients);
        assertDisjointCovering(clients, 6);
        clients.forEach(c -> assertEquals(2, c.owned.size()));

        Client d = new Client("d");
        clients.add(d);
        heartbeatUntilStable(clients);
        assertDisjointCovering(clients, 6);
        assertFalse(d.owned.isEmpty());

        Client leaving = clients.remove(0);
        leaving.leave();
        heartbeatUntilStable(clients);
        assertDisjointCovering(clients, 6);
        assertEquals("Stable", group.stateName());
    }

    @Test
    void aMemberThatStopsHeartbeatingIsFencedAfterTheSessionTimeout() {
        Client a = new Client("a");
        Client b = new Client("b");
        heartbeatUntilStable(List.of(a, b));
        timer.advance(SESSION_TIMEOUT / 2);
        a.heartbeat();
        timer.advance(SESSION_TIMEOUT / 2 + 1);
        a.heartbeat();
        assertEquals(Set.of("a"), group.currentAssignments().keySet(), "b expired, a kept alive");
        heartbeatUntilStable(List.of(a));
        assertEquals(6, a.owned.size());
        assertThrows(UnknownMemberIdException.class, b::heartbeat);
    }

    @Test
    void epochsAreCheckedOnHeartbeatsAndCommits() {
        Client a = new Client("a");
        heartbeatUntilStable(List.of(a));
        ConsumerGroupHeartbeatRequestData ahead = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId("a").setMemberEpoch(a.epoch + 1);
        assertThrows(FencedMemberEpochException.class, () -> send(ahead));
        group.validateOffsetCommit("a", null, a.epoch);
        assertThrows(StaleMemberEpochException.class, () -> group.validateOffsetCommit("a", null, a.epoch - 1));
        assertThrows(UnknownMemberIdException.class, () -> group.validateOffsetCommit("zz", null, 1));
        group.validateOffsetCommit("", null, -1);
        assertThrows(InvalidRequestException.class, () -> send(new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId("x").setMemberEpoch(0).setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of())));
    }

    @Test
    void staticMemberReturningWithinTheSessionTimeoutGetsItsPartitionsWithoutARebalance() {
        Client a = new Client("a").instance("i-a");
        Client b = new Client("b").instance("i-b");
        heartbeatUntilStable(List.of(a, b));
        Set<TopicPartitionId> owned = a.owned;
        int epoch = group.groupEpoch();
        assertThrows(UnreleasedInstanceIdException.class, () -> new Client("a2").instance("i-a").heartbeat());
        a.leaveStatic();
        Client a2 = new Client("a2").instance("i-a");
        a2.heartbeat();
        assertEquals(owned, a2.owned);
        assertEquals(epoch, group.groupEpoch());
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced() {
        Client a = new Client("a");
        Client b = new Client("b");
        a.rebalanceTimeoutMs = 500;
        heartbeatUntilStable(List.of(a, b));
        new Client("c").heartbeat();
        a.heartbeat();
        assertEquals(2, a.owned.size(), "a is asked to give a partition up");
        // a keeps heartbeating but never reports the revocation.
        ConsumerGroupHeartbeatRequestData stubborn = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId("a").setMemberEpoch(a.epoch);
        timer.advance(300);
        send(stubborn);
        timer.advance(300);
        assertFalse(group.currentAssignments().containsKey("a"));
        assertThrows(UnknownMemberIdException.class, () -> send(stubborn));
    }

    @Test
    void joinsBeyondTheMaximumSizeAreRefused() {
        for (String id : List.of("a", "b", "c", "d")) {
            new Client(id).heartbeat();
        }
        assertThrows(GroupMaxSizeReachedException.class, () -> new Client("e").heartbeat());
    }

    @Test
    void anAddedPartitionBumpsTheGroupEpochAndIsAssigned() {
        Client a = new Client("a");
        heartbeatUntilStable(List.of(a));
        int epoch = group.groupEpoch();
        a.image = image(8);
        heartbeatUntilStable(List.of(a));
        assertNotEquals(epoch, group.groupEpoch());
        assertEquals(8, a.owned.size());
    }

    private void heartbeatUntilStable(List<Client> clients) {
        for (int round = 0; round < 20; round++) {
            for (Client c : clients) {
                c.heartbeat();
                assertDisjoint(clients);
            }
            if (group.stateName().equals("Stable") && clients.stream().allMatch(c -> c.epoch == group.groupEpoch())) {
                return;
            }
        }
        throw new AssertionError("not stable: " + group.currentAssignments());
    }

    private static void assertDisjoint(List<Client> clients) {
        Set<TopicPartitionId> seen = new HashSet<>();
        clients.forEach(c -> c.owned.forEach(tp -> assertTrue(seen.add(tp), tp + " owned by two members")));
    }

    private static void assertDisjointCovering(List<Client> clients, int partitions) {
        assertDisjoint(clients);
        assertEquals(partitions, clients.stream().mapToInt(c -> c.owned.size()).sum());
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        return send(request, image);
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request, MetadataImage image) {
        return group.heartbeat(request, HeartbeatValidator.check(request, VERSION, config), "client", "/127.0.0.1", image);
    }

    private static MetadataImage image(int partitions) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.empty("cluster"));
        delta.replay(new TopicRecord("t", TOPIC_ID));
        for (int p = 0; p < partitions; p++) {
            delta.replay(new PartitionRecord(TOPIC_ID, p, new PartitionRegistration(new int[]{1}, new int[]{1}, 1, 0, 0)));
        }
        return delta.apply(partitions);
    }

    /** A consumer as kafka-clients behaves: it revokes at once and reports what it owns whenever that changes. */
    private final class Client {
        final String memberId;
        String instanceId;
        int epoch;
        int rebalanceTimeoutMs = 5000;
        Set<TopicPartitionId> owned = Set.of();
        boolean ownedChanged = true;
        MetadataImage image = ConsumerGroupTest.this.image;

        Client(String memberId) {
            this.memberId = memberId;
        }

        Client instance(String id) {
            instanceId = id;
            return this;
        }

        void heartbeat() {
            ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                    .setMemberId(memberId).setMemberEpoch(epoch).setInstanceId(instanceId);
            if (epoch == 0) {
                request.setRebalanceTimeoutMs(rebalanceTimeoutMs).setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of());
            } else if (ownedChanged) {
                Map<Uuid, List<Integer>> byTopic = owned.stream().collect(Collectors.groupingBy(TopicPartitionId::topicId,
                        Collectors.mapping(TopicPartitionId::partition, Collectors.toList())));
                List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topics = new ArrayList<>();
                byTopic.forEach((id, parts) -> topics.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                        .setTopicId(id).setPartitions(parts)));
                request.setTopicPartitions(topics);
            }
            ConsumerGroupHeartbeatResponseData response = send(request, image);
            ownedChanged = false;
            epoch = response.memberEpoch();
            if (response.assignment() != null) {
                Set<TopicPartitionId> assigned = new HashSet<>();
                response.assignment().topicPartitions().forEach(t ->
                        t.partitions().forEach(p -> assigned.add(new TopicPartitionId(t.topicId(), p))));
                ownedChanged = !assigned.equals(owned);
                owned = assigned;
            }
        }

        void leave() {
            send(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId(memberId).setMemberEpoch(-1));
            owned = Set.of();
        }

        void leaveStatic() {
            send(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId(memberId).setMemberEpoch(-2)
                    .setInstanceId(instanceId));
        }
    }

    /** Runs scheduled tasks when the test moves the clock. */
    private static final class FakeTimer implements ConsumerGroup.Timer {
        long now;
        private final PriorityQueue<Map.Entry<Long, Runnable>> tasks = new PriorityQueue<>(Map.Entry.comparingByKey());

        @Override
        public void schedule(Runnable task, long delayMs) {
            tasks.add(Map.entry(now + delayMs, task));
        }

        void advance(long ms) {
            now += ms;
            while (!tasks.isEmpty() && tasks.peek().getKey() <= now) {
                tasks.poll().getValue().run();
            }
        }
    }
}
