package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetFetch of the classic group's committed offsets, of named partitions and (v2+) of all; one group per request
 * before v8, a batch of groups from v8, topics by id from v10.
 */
final class OffsetFetchScenario implements ApiScenario {
    /** Partition, offset, metadata, as committed by the fixture. */
    private record Committed(int partition, long offset, String metadata) {
    }

    private static final List<Committed> EXPECTED = List.of(
            new Committed(0, Fixture.COMMITTED_P0, Fixture.COMMITTED_METADATA),
            new Committed(1, Fixture.COMMITTED_P1, ""));

    @Override
    public ApiKeys api() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public void run(Exchange x) throws Exception {
        assertEquals(EXPECTED, fetch(x, List.of(0, 1)), "named partitions");
        if (x.atLeast(2)) {
            assertEquals(EXPECTED, fetch(x, null), "all partitions");
        }
    }

    private static List<Committed> fetch(Exchange x, List<Integer> partitions) throws Exception {
        if (x.atLeast(8)) {
            OffsetFetchRequestData.OffsetFetchRequestGroup group = new OffsetFetchRequestData.OffsetFetchRequestGroup()
                    .setGroupId(Fixture.CLASSIC_GROUP);
            if (partitions == null) {
                group.setTopics(null);
            } else {
                OffsetFetchRequestData.OffsetFetchRequestTopics topic = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setPartitionIndexes(partitions);
                if (x.atLeast(10)) {
                    topic.setTopicId(x.fixture().topicId());
                } else {
                    topic.setName(Fixture.TOPIC);
                }
                group.setTopics(List.of(topic));
            }
            OffsetFetchResponseData response = x.send(new OffsetFetchRequestData().setGroups(List.of(group)));
            OffsetFetchResponseData.OffsetFetchResponseGroup answered = response.groups().get(0);
            assertEquals(Fixture.CLASSIC_GROUP, answered.groupId(), "group");
            assertEquals(Errors.NONE.code(), answered.errorCode(), "group error");
            assertEquals(1, answered.topics().size(), "topics");
            OffsetFetchResponseData.OffsetFetchResponseTopics topic = answered.topics().get(0);
            if (x.atLeast(10)) {
                assertEquals(x.fixture().topicId(), topic.topicId(), "topic id");
            } else {
                assertEquals(Fixture.TOPIC, topic.name(), "topic");
            }
            return topic.partitions().stream().map(p -> {
                assertEquals(Errors.NONE.code(), p.errorCode(), "partition error");
                return new Committed(p.partitionIndex(), p.committedOffset(), p.metadata());
            }).sorted(java.util.Comparator.comparingInt(Committed::partition)).toList();
        }
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId(Fixture.CLASSIC_GROUP)
                .setTopics(partitions == null ? null : List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName(Fixture.TOPIC).setPartitionIndexes(partitions)));
        OffsetFetchResponseData response = x.send(request);
        assertEquals(Errors.NONE.code(), response.errorCode(), "top-level error");
        assertEquals(1, response.topics().size(), "topics");
        OffsetFetchResponseData.OffsetFetchResponseTopic topic = response.topics().get(0);
        assertEquals(Fixture.TOPIC, topic.name(), "topic");
        return topic.partitions().stream().map(p -> {
            assertEquals(Errors.NONE.code(), p.errorCode(), "partition error");
            assertEquals(-1, p.committedLeaderEpoch(), "committed leader epoch");
            return new Committed(p.partitionIndex(), p.committedOffset(), p.metadata());
        }).sorted(java.util.Comparator.comparingInt(Committed::partition)).toList();
    }
}
