package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** OffsetCommit without a member (as tools commit), topic by name (by id from v10); the Admin client reads it back. */
final class OffsetCommitScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public void run(Exchange x) throws Exception {
        String groupId = "conformance-commit-v" + x.version();
        long offset = 3;
        OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(0).setCommittedOffset(offset).setCommittedMetadata("m")));
        if (x.atLeast(10)) {
            topic.setTopicId(x.fixture().topicId());
        } else {
            topic.setName(Fixture.TOPIC);
        }
        OffsetCommitResponseData response = x.send(new OffsetCommitRequestData().setGroupId(groupId)
                .setGenerationIdOrMemberEpoch(-1).setMemberId("").setTopics(List.of(topic)));
        OffsetCommitResponseData.OffsetCommitResponseTopic answered = response.topics().get(0);
        if (x.atLeast(10)) {
            assertEquals(x.fixture().topicId(), answered.topicId(), "topic id");
        } else {
            assertEquals(Fixture.TOPIC, answered.name(), "topic");
        }
        assertEquals(Errors.NONE.code(), answered.partitions().get(0).errorCode(), "partition error");
        assertEquals(new OffsetAndMetadata(offset, "m"),
                x.fixture().committed(groupId, new TopicPartition(Fixture.TOPIC, 0)), "committed offset");
    }
}
