package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.wire.WireRecords;
import java.util.List;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Produce (acks=all) of one batch: its base offset is the log end offset before it, the topic named as the version
 * does; then an idempotent producer's batch, sent twice: the retry is answered with the first append's offset and
 * not written again.
 */
final class ProduceScenario implements ApiScenario {
    @Override
    public ApiKeys api() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public void run(Exchange x) throws Exception {
        long logEnd = logEndOffset(x);
        ProduceResponseData.PartitionProduceResponse plain = produce(x,
                WireRecords.produceData(0, x.fixture().timestamp(0), List.of("a", "b")));
        assertEquals(logEnd, plain.baseOffset(), "base offset: the log end offset before the append");
        assertEquals(-1, plain.logAppendTimeMs(), "log append time of a CreateTime topic");
        assertEquals(x.atLeast(5) ? 0 : -1, plain.logStartOffset(), "log start offset (v5+)");
        assertEquals(logEnd + 2, logEndOffset(x), "log end offset after the append");

        short initVersion = ApiKeys.INIT_PRODUCER_ID.latestVersion(false);
        InitProducerIdResponseData producer = x.sendAt(new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(Integer.MAX_VALUE).setProducerId(-1).setProducerEpoch((short) -1), initVersion);
        ProduceRequestData.PartitionProduceData idempotent = WireRecords.idempotentProduceData(0,
                x.fixture().timestamp(0), List.of("c", "d", "e"), producer.producerId(), producer.producerEpoch(), 0);
        ProduceResponseData.PartitionProduceResponse first = produce(x, idempotent);
        assertEquals(logEnd + 2, first.baseOffset(), "base offset of the idempotent batch");
        ProduceResponseData.PartitionProduceResponse retry = produce(x, idempotent);
        assertEquals(first.baseOffset(), retry.baseOffset(), "a retried batch is answered with its first offset");
        assertEquals(logEnd + 5, logEndOffset(x), "log end offset after the retry: written once");
    }

    /** Produces the partition data to the produce topic; the partition's answer, checked for no error. */
    private static ProduceResponseData.PartitionProduceResponse produce(Exchange x,
                                                                        ProduceRequestData.PartitionProduceData data)
            throws Exception {
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(data));
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
        assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error: " + partition.errorMessage());
        return partition;
    }

    private static long logEndOffset(Exchange x) throws Exception {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName(Fixture.PRODUCE_TOPIC).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1)))));
        ListOffsetsResponseData response = x.sendAt(request, ApiKeys.LIST_OFFSETS.latestVersion(false));
        return response.topics().get(0).partitions().get(0).offset();
    }
}
