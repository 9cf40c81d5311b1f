package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** DeleteGroups of an empty group with offsets (NONE), of the stable group (NON_EMPTY_GROUP), of an unknown one. */
final class DeleteGroupsScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String empty = "conformance-delete-group-v" + x.version();
        String unknown = "conformance-never-existed-v" + x.version();
        x.fixture().commit(empty, new TopicPartition(Fixture.TOPIC, 0), 2);
        DeleteGroupsResponseData response = x.send(new DeleteGroupsRequestData()
                .setGroupsNames(List.of(empty, Fixture.CLASSIC_GROUP, unknown)));
        assertEquals(Errors.NONE.code(), response.results().find(empty).errorCode(), "empty group");
        assertEquals(Errors.NON_EMPTY_GROUP.code(), response.results().find(Fixture.CLASSIC_GROUP).errorCode(),
                "group with a member");
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), response.results().find(unknown).errorCode(), "unknown group");
        assertEquals(0, x.fixture().admin().listConsumerGroupOffsets(empty).partitionsToOffsetAndMetadata().get().size(),
                "offsets of the deleted group");
    }
}
