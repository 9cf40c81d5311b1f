package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** LeaveGroup of the only member, by member id (v0-v2) or in a batch (v3+): the group is Empty afterwards. */
final class LeaveGroupScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public void run(Exchange x) throws Exception {
        ClassicMember member = ClassicMember.joinAndSync(x, "conformance-leave-v" + x.version());
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(member.groupId());
        if (x.atLeast(3)) {
            request.setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(member.memberId())));
        } else {
            request.setMemberId(member.memberId());
        }
        LeaveGroupResponseData response = x.send(request);
        assertEquals(Errors.NONE.code(), response.errorCode(), "leave");
        if (x.atLeast(3)) {
            assertEquals(1, response.members().size(), "members answered");
            assertEquals(member.memberId(), response.members().get(0).memberId(), "member");
            assertEquals(Errors.NONE.code(), response.members().get(0).errorCode(), "member error");
        }
        DescribeGroupsResponseData described = x.sendAt(new DescribeGroupsRequestData()
                .setGroups(List.of(member.groupId())), ApiKeys.DESCRIBE_GROUPS.latestVersion(false));
        assertEquals("Empty", described.groups().get(0).groupState(), "state after the only member left");
    }
}
