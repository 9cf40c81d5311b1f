package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** ListGroups: both groups, with their state (v4+) and type (v5+); the state (v4+) and type (v5+) filters apply. */
final class ListGroupsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        ListGroupsResponseData all = x.send(new ListGroupsRequestData());
        assertEquals(Errors.NONE.code(), all.errorCode(), "error");
        ListedGroup classic = find(all, Fixture.CLASSIC_GROUP);
        ListedGroup consumer = find(all, Fixture.CONSUMER_GROUP);
        assertNotNull(classic, Fixture.CLASSIC_GROUP + " listed: " + all);
        assertNotNull(consumer, Fixture.CONSUMER_GROUP + " listed: " + all);
        assertEquals("consumer", classic.protocolType(), "classic group's protocol type");
        assertEquals("consumer", consumer.protocolType(), "consumer group's protocol type");
        assertEquals(x.atLeast(4) ? "Stable" : "", classic.groupState(), "classic group's state (v4+)");
        assertEquals(x.atLeast(5) ? "classic" : "", classic.groupType(), "classic group's type (v5+)");
        assertEquals(x.atLeast(5) ? "consumer" : "", consumer.groupType(), "consumer group's type (v5+)");

        if (x.atLeast(5)) {
            ListGroupsResponseData classicOnly = x.send(new ListGroupsRequestData().setTypesFilter(List.of("Classic")));
            assertNotNull(find(classicOnly, Fixture.CLASSIC_GROUP), "classic group under the classic filter");
            assertNull(find(classicOnly, Fixture.CONSUMER_GROUP), "consumer group under the classic filter");
        }
        if (x.atLeast(4)) {
            ListGroupsResponseData empty = x.send(new ListGroupsRequestData().setStatesFilter(List.of("Empty")));
            assertNull(find(empty, Fixture.CLASSIC_GROUP), "stable group under the Empty filter");
        }
    }

    private static ListedGroup find(ListGroupsResponseData response, String groupId) {
        return response.groups().stream().filter(g -> g.groupId().equals(groupId)).findFirst().orElse(null);
    }
}
