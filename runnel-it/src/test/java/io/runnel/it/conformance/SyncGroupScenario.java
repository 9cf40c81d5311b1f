package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** SyncGroup of a group's leader: it gets back the assignment it gave itself; v5 echoes protocol type and name. */
final class SyncGroupScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String groupId = "conformance-sync-v" + x.version();
        short joinVersion = ApiKeys.JOIN_GROUP.latestVersion(false);
        JoinGroupResponseData first = x.sendAt(ClassicMember.joinRequest(groupId, "", joinVersion), joinVersion);
        JoinGroupResponseData joined = x.sendAt(ClassicMember.joinRequest(groupId, first.memberId(), joinVersion),
                joinVersion);
        assertEquals(Errors.NONE.code(), joined.errorCode(), "join");
        ClassicMember member = new ClassicMember(groupId, joined.memberId(), joined.generationId());

        SyncGroupResponseData response = x.send(member.syncRequest(x.version()));
        assertEquals(Errors.NONE.code(), response.errorCode(), "sync");
        assertArrayEquals(ClassicMember.ASSIGNMENT, response.assignment(), "assignment");
        assertEquals(x.atLeast(5) ? ClassicMember.PROTOCOL_TYPE : null, response.protocolType(), "protocol type (v5)");
        assertEquals(x.atLeast(5) ? ClassicMember.PROTOCOL : null, response.protocolName(), "protocol name (v5)");
        member.leave(x);
    }
}
