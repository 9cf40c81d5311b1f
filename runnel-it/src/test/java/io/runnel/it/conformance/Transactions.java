package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.wire.WireRecords;
import java.util.List;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/** What the transaction scenarios send on the way: a producer id, a transactional batch, a marker. */
final class Transactions {
    /** The last Produce version that names topics. */
    private static final short PRODUCE_VERSION = 12;

    private Transactions() {
    }

    static long newProducerId(Exchange x) throws Exception {
        InitProducerIdResponseData response = x.sendAt(new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1),
                ApiKeys.INIT_PRODUCER_ID.latestVersion(false));
        return response.producerId();
    }

    /**
     * One transactional batch of the producer (epoch 0, sequence 0) to a partition of the transaction topic. The
     * request names no transactional id: no coordinator knows the producer, so the leader has none to confirm the
     * transaction with (KIP-890's check applies to requests that name one), and the scenario's own markers end it.
     */
    static long send(Exchange x, int partition, long producerId, String value) throws Exception {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(Fixture.TXN_TOPIC).setPartitionData(List.of(
                WireRecords.transactionalProduceData(partition, x.fixture().timestamp(0), List.of(value), producerId,
                        (short) 0, 0))));
        ProduceResponseData response = x.sendAt(new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(null).setTopicData(topics), PRODUCE_VERSION);
        ProduceResponseData.PartitionProduceResponse answer = response.responses().iterator().next()
                .partitionResponses().get(0);
        assertEquals(Errors.NONE.code(), answer.errorCode(), "transactional produce: " + answer.errorMessage());
        return answer.baseOffset();
    }

    /** A WriteTxnMarkers request with one marker for the given partitions of the transaction topic. */
    static WriteTxnMarkersRequestData marker(long producerId, short epoch, int coordinatorEpoch, boolean commit,
                                             Integer... partitions) {
        return new WriteTxnMarkersRequestData().setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker()
                .setProducerId(producerId).setProducerEpoch(epoch).setCoordinatorEpoch(coordinatorEpoch)
                .setTransactionResult(commit).setTopics(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic()
                        .setName(Fixture.TXN_TOPIC).setPartitionIndexes(List.of(partitions))))));
    }

    /** The error of each partition of the one marker's answer, in request order. */
    static List<Errors> errors(WriteTxnMarkersResponseData response, long producerId) {
        assertEquals(1, response.markers().size(), "markers");
        WriteTxnMarkersResponseData.WritableTxnMarkerResult result = response.markers().get(0);
        assertEquals(producerId, result.producerId(), "producer id");
        assertEquals(Fixture.TXN_TOPIC, result.topics().get(0).name(), "topic");
        return result.topics().get(0).partitions().stream().map(p -> Errors.forCode(p.errorCode())).toList();
    }
}
