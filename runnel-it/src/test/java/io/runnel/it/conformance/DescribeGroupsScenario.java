package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeGroups of the stable classic group (its member with client id) and of an unknown group: "Dead" before v6,
 * GROUP_ID_NOT_FOUND from v6 (KIP-1043).
 */
final class DescribeGroupsScenario implements ApiScenario {
    private static final String UNKNOWN = "conformance-no-such-group";

    @Override
    public ApiKeys api() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        DescribeGroupsRequestData request = new DescribeGroupsRequestData().setGroups(List.of(Fixture.CLASSIC_GROUP, UNKNOWN));
        if (x.atLeast(3)) {
            request.setIncludeAuthorizedOperations(true);
        }
        DescribeGroupsResponseData response = x.send(request);
        assertEquals(2, response.groups().size(), "groups");
        DescribedGroup stable = response.groups().get(0);
        assertEquals(Fixture.CLASSIC_GROUP, stable.groupId(), "group");
        assertEquals(Errors.NONE.code(), stable.errorCode(), "error");
        assertEquals("Stable", stable.groupState(), "state");
        assertEquals("consumer", stable.protocolType(), "protocol type");
        assertEquals("range", stable.protocolData(), "protocol");
        assertEquals(1, stable.members().size(), "members");
        assertEquals(Fixture.CLASSIC_GROUP + "-member", stable.members().get(0).clientId(), "member's client id");
        assertEquals(x.atLeast(3) ? KafkaOperations.bits(KafkaOperations.GROUP) : KafkaOperations.OMITTED,
                stable.authorizedOperations(), "authorized operations (v3+, asked for)");

        DescribedGroup unknown = response.groups().get(1);
        assertEquals(UNKNOWN, unknown.groupId(), "unknown group");
        if (x.atLeast(6)) {
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), unknown.errorCode(), "unknown group's error");
        } else {
            assertEquals(Errors.NONE.code(), unknown.errorCode(), "unknown group's error");
            assertEquals("Dead", unknown.groupState(), "unknown group's state");
        }
    }
}
