package io.runnel.broker.group.consumer;

import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeartbeatValidatorTest {
    private final ConsumerGroupConfig config = ConsumerGroupConfig.defaults();

    private static ConsumerGroupHeartbeatRequestData join(String memberId) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId(memberId).setMemberEpoch(0)
                .setRebalanceTimeoutMs(30000).setSubscribedTopicNames(List.of("t")).setTopicPartitions(List.of());
    }

    @Test
    void v1RequiresAClientMemberIdWhileV0JoinsGetOne() {
        assertThrows(InvalidRequestException.class, () -> HeartbeatValidator.check(join(""), (short) 1, config));
        assertFalse(HeartbeatValidator.check(join(""), (short) 0, config).memberId().isEmpty());
        assertEquals("m", HeartbeatValidator.check(join("m"), (short) 1, config).memberId());
    }

    @Test
    void rejectsWhatKafkaRejects() {
        assertThrows(InvalidRequestException.class, () -> HeartbeatValidator.check(join("m").setGroupId(""), (short) 1, config));
        assertThrows(InvalidRequestException.class, () -> HeartbeatValidator.check(join("m").setMemberEpoch(-3), (short) 1, config));
        assertThrows(InvalidRequestException.class, () -> HeartbeatValidator.check(join("m").setMemberEpoch(-2), (short) 1, config));
        assertThrows(InvalidRequestException.class, () -> HeartbeatValidator.check(join("m").setSubscribedTopicNames(null), (short) 1, config));
        assertThrows(UnsupportedAssignorException.class, () -> HeartbeatValidator.check(join("m").setServerAssignor("sticky"), (short) 1, config));
        assertThrows(InvalidRegularExpression.class, () -> HeartbeatValidator.check(join("m").setSubscribedTopicRegex("("), (short) 1, config));
    }
}
