package io.runnel.it.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.wire.ApiConnection;
import io.runnel.it.wire.WireRecords;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The two halves of a transaction that the transaction coordinator otherwise drives, spoken on one connection to a
 * partition leader: a transactional producer's batches (acks=all) and the coordinator's WriteTxnMarkers.
 */
final class RawTransactions implements AutoCloseable {
    /** The last Produce version that names topics (v13 uses ids). */
    private static final short PRODUCE_VERSION = 12;
    private static final short WRITE_TXN_MARKERS_VERSION = 1;

    private final ApiConnection connection;

    RawTransactions(String leaderAddress) throws IOException {
        this.connection = new ApiConnection(leaderAddress, "raw-transactions");
    }

    /** A new producer id (epoch 0) from InitProducerId. */
    long newProducerId() throws IOException {
        InitProducerIdResponseData response = (InitProducerIdResponseData) connection.send(
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000)
                        .setProducerId(-1).setProducerEpoch((short) -1),
                ApiKeys.INIT_PRODUCER_ID.latestVersion(false));
        assertEquals(Errors.NONE.code(), response.errorCode(), "InitProducerId error");
        return response.producerId();
    }

    /** Appends one transactional batch of the producer (epoch 0) with acks=all; returns its base offset. */
    long send(String topic, int partition, long producerId, int sequence, String... values) throws IOException {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                WireRecords.transactionalProduceData(partition, System.currentTimeMillis(), List.of(values),
                        producerId, (short) 0, sequence))));
        ProduceResponseData response = (ProduceResponseData) connection.send(new ProduceRequestData()
                .setAcks((short) -1).setTimeoutMs(30_000).setTransactionalId("raw-" + producerId)
                .setTopicData(topics), PRODUCE_VERSION);
        ProduceResponseData.PartitionProduceResponse answer = response.responses().iterator().next()
                .partitionResponses().get(0);
        assertEquals(Errors.NONE.code(), answer.errorCode(), "produce error: " + answer.errorMessage());
        return answer.baseOffset();
    }

    /** Writes the producer's commit or abort marker to the partition; returns the partition's error. */
    Errors marker(String topic, int partition, long producerId, short epoch, int coordinatorEpoch, boolean commit)
            throws IOException {
        WriteTxnMarkersResponseData response = (WriteTxnMarkersResponseData) connection.send(
                new WriteTxnMarkersRequestData().setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker()
                        .setProducerId(producerId).setProducerEpoch(epoch).setCoordinatorEpoch(coordinatorEpoch)
                        .setTransactionResult(commit).setTopics(List.of(
                                new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(topic)
                                        .setPartitionIndexes(List.of(partition)))))),
                WRITE_TXN_MARKERS_VERSION);
        WriteTxnMarkersResponseData.WritableTxnMarkerResult result = response.markers().get(0);
        assertEquals(producerId, result.producerId(), "producer id of the marker result");
        return Errors.forCode(result.topics().get(0).partitions().get(0).errorCode());
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
