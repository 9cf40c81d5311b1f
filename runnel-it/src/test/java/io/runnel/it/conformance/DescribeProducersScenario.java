package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeProducers of partition 1 of the transaction topic: a producer with an open transaction shows its start
 * offset, epoch and last sequence; once its commit marker is written, no open transaction and the marker's coordinator
 * epoch. An absent partition answers UNKNOWN_TOPIC_OR_PARTITION.
 */
final class DescribeProducersScenario implements ApiScenario {
    private static final int PARTITION = 1;
    private static final int ABSENT_PARTITION = 9;
    private static final int COORDINATOR_EPOCH = 4;

    @Override
    public ApiKeys api() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        long producerId = Transactions.newProducerId(x);
        long first = Transactions.send(x, PARTITION, producerId, "open");
        DescribeProducersResponseData.ProducerState open = producer(x, producerId);
        assertEquals(first, open.currentTxnStartOffset(), "open transaction's start offset");
        assertEquals(0, open.producerEpoch(), "epoch");
        assertEquals(0, open.lastSequence(), "last sequence");
        assertEquals(-1, open.coordinatorEpoch(), "no marker yet");

        x.sendAt(Transactions.marker(producerId, (short) 0, COORDINATOR_EPOCH, true, PARTITION),
                ApiKeys.WRITE_TXN_MARKERS.latestVersion(false));
        DescribeProducersResponseData.ProducerState committed = producer(x, producerId);
        assertEquals(-1, committed.currentTxnStartOffset(), "no open transaction");
        assertEquals(COORDINATOR_EPOCH, committed.coordinatorEpoch(), "the marker's coordinator epoch");
    }

    private static DescribeProducersResponseData.ProducerState producer(Exchange x, long producerId) throws Exception {
        DescribeProducersRequestData.TopicRequestCollection topics =
                new DescribeProducersRequestData.TopicRequestCollection();
        topics.add(new DescribeProducersRequestData.TopicRequest().setName(Fixture.TXN_TOPIC)
                .setPartitionIndexes(List.of(PARTITION, ABSENT_PARTITION)));
        DescribeProducersResponseData response = x.send(new DescribeProducersRequestData().setTopics(topics));
        DescribeProducersResponseData.TopicResponse topic = response.topics().get(0);
        assertEquals(Fixture.TXN_TOPIC, topic.name(), "topic");
        DescribeProducersResponseData.PartitionResponse partition = topic.partitions().get(0);
        assertEquals(PARTITION, partition.partitionIndex(), "partition");
        assertEquals(Errors.NONE.code(), partition.errorCode(), "partition error");
        DescribeProducersResponseData.PartitionResponse absent = topic.partitions().get(1);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), absent.errorCode(), "absent partition error");
        return partition.activeProducers().stream().filter(p -> p.producerId() == producerId).findFirst()
                .orElseThrow(() -> new AssertionError("producer " + producerId + " not in " + partition));
    }
}
