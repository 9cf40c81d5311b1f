package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * JoinGroup of a new member into a new group: from v4 the broker first hands out a member id (MEMBER_ID_REQUIRED);
 * then the member leads generation 1 and sees itself with its subscription.
 */
final class JoinGroupScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String groupId = "conformance-join-v" + x.version();
        JoinGroupResponseData response = x.send(ClassicMember.joinRequest(groupId, "", x.version()));
        if (x.atLeast(4)) {
            assertEquals(Errors.MEMBER_ID_REQUIRED.code(), response.errorCode(), "first join of an unknown member");
            assertFalse(response.memberId().isEmpty(), "the member id to join with");
            response = x.send(ClassicMember.joinRequest(groupId, response.memberId(), x.version()));
        }
        assertEquals(Errors.NONE.code(), response.errorCode(), "join");
        assertFalse(response.memberId().isEmpty(), "member id");
        assertEquals(1, response.generationId(), "generation");
        assertEquals(ClassicMember.PROTOCOL, response.protocolName(), "protocol");
        assertEquals(x.atLeast(7) ? ClassicMember.PROTOCOL_TYPE : null, response.protocolType(), "protocol type (v7+)");
        assertEquals(response.memberId(), response.leader(), "leader");
        assertEquals(1, response.members().size(), "members the leader sees");
        JoinGroupResponseData.JoinGroupResponseMember member = response.members().get(0);
        assertEquals(response.memberId(), member.memberId(), "member");
        assertArrayEquals(ClassicMember.SUBSCRIPTION, member.metadata(), "member's subscription");
        new ClassicMember(groupId, response.memberId(), response.generationId()).leave(x);
    }
}
