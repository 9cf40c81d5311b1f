package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.wire.WireRecords;
import java.util.List;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** Produce (acks=all) of one batch: its base offset is the log end offset before it, the topic named as the version does. */
final class ProduceScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public void run(Exchange x) throws Exception {
        long logEnd = logEndOffset(x);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(WireRecords.produceData(0, x.fixture().timestamp(0), List.of("a", "b"))));
        if (x.atLeast(13)) {
            topic.setTopicId(x.fixture().produceTopicId());
        } else {
            topic.setName(Fixture.PRODUCE_TOPIC);
        }
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic);
        ProduceResponseData response = x.send(new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTopicData(topics));

        assertEquals(1, response.responses().size(), "topics");
        ProduceResponseData.TopicProduceResponse answered = response.responses().iterator().next();
        if (x.atLeast(13)) {
            assertEquals(x.fixture().produceTopicId(), answered.topicId(), "topic id");
        } else {
            assertEquals(Fixture.PRODUCE_TOPIC, answered.name(), "topic name");
        }
        ProduceResponseData.PartitionProduceResponse partition = answered.partitionResponses().get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error");
        assertEquals(logEnd, partition.baseOffset(), "base offset: the log end offset before the append");
        assertEquals(-1, partition.logAppendTimeMs(), "log append time of a CreateTime topic");
        assertEquals(x.atLeast(5) ? 0 : -1, partition.logStartOffset(), "log start offset (v5+)");
        assertEquals(logEnd + 2, logEndOffset(x), "log end offset after the append");
    }

    private static long logEndOffset(Exchange x) throws Exception {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName(Fixture.PRODUCE_TOPIC).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1)))));
        ListOffsetsResponseData response = x.sendAt(request, ApiKeys.LIST_OFFSETS.latestVersion(false));
        return response.topics().get(0).partitions().get(0).offset();
    }
}
