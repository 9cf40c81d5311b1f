package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** OffsetDelete of an empty group's committed offset: gone for the Admin client afterwards. */
final class OffsetDeleteScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String groupId = "conformance-offset-delete-v" + x.version();
        TopicPartition tp = new TopicPartition(Fixture.TOPIC, 0);
        x.fixture().commit(groupId, tp, 4);
        OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
                new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        OffsetDeleteRequestData.OffsetDeleteRequestPartition partition =
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0);
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(Fixture.TOPIC)
                .setPartitions(java.util.List.of(partition)));
        OffsetDeleteResponseData response = x.send(new OffsetDeleteRequestData().setGroupId(groupId).setTopics(topics));
        assertEquals(Errors.NONE.code(), response.errorCode(), "group error");
        assertEquals(Errors.NONE.code(), response.topics().find(Fixture.TOPIC).partitions().find(0).errorCode(),
                "partition error");
        assertNull(x.fixture().committed(groupId, tp), "offset after deletion");
    }
}
