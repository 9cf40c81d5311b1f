package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ConsumerGroupHeartbeat (KIP-848) of a member joining a new group: epoch 1 with both partitions of the topic
 * assigned; then it leaves (epoch -1). From v1 the member brings its own id (KIP-1082).
 */
final class ConsumerGroupHeartbeatScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String groupId = "conformance-consumer-v" + x.version();
        String ownId = x.atLeast(1) ? Uuid.randomUuid().toString() : "";
        ConsumerGroupHeartbeatResponseData joined = x.send(new ConsumerGroupHeartbeatRequestData().setGroupId(groupId)
                .setMemberId(ownId).setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                .setSubscribedTopicNames(List.of(Fixture.TOPIC)).setTopicPartitions(List.of()));
        assertEquals(Errors.NONE.code(), joined.errorCode(), "join: " + joined.errorMessage());
        assertFalse(joined.memberId() == null || joined.memberId().isEmpty(), "member id");
        if (x.atLeast(1)) {
            assertEquals(ownId, joined.memberId(), "the member's own id (v1+)");
        }
        assertEquals(1, joined.memberEpoch(), "member epoch");
        assertTrue(joined.heartbeatIntervalMs() > 0, "heartbeat interval");
        assertNotNull(joined.assignment(), "assignment");
        assertEquals(1, joined.assignment().topicPartitions().size(), "assigned topics");
        ConsumerGroupHeartbeatResponseData.TopicPartitions assigned = joined.assignment().topicPartitions().get(0);
        assertEquals(x.fixture().topicId(), assigned.topicId(), "assigned topic");
        assertEquals(Set.of(0, 1), Set.copyOf(assigned.partitions()), "assigned partitions");

        ConsumerGroupHeartbeatResponseData left = x.send(new ConsumerGroupHeartbeatRequestData().setGroupId(groupId)
                .setMemberId(joined.memberId()).setMemberEpoch(-1));
        assertEquals(Errors.NONE.code(), left.errorCode(), "leave");
        assertEquals(-1, left.memberEpoch(), "epoch after leaving");
    }
}
