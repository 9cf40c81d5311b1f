package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** Heartbeat of a stable member (NONE), and of a stale generation (ILLEGAL_GENERATION). */
final class HeartbeatScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public void run(Exchange x) throws Exception {
        ClassicMember member = ClassicMember.joinAndSync(x, "conformance-heartbeat-v" + x.version());
        HeartbeatResponseData ok = x.send(new HeartbeatRequestData().setGroupId(member.groupId())
                .setMemberId(member.memberId()).setGenerationId(member.generationId()));
        assertEquals(Errors.NONE.code(), ok.errorCode(), "heartbeat of the stable member");
        HeartbeatResponseData stale = x.send(new HeartbeatRequestData().setGroupId(member.groupId())
                .setMemberId(member.memberId()).setGenerationId(member.generationId() + 1));
        assertEquals(Errors.ILLEGAL_GENERATION.code(), stale.errorCode(), "heartbeat of another generation");
        member.leave(x);
    }
}
