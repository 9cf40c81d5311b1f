package io.runnel.it.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * WriteTxnMarkers as a transaction coordinator sends it: the abort marker of a producer's open transaction ends it
 * (a read_committed fetch lists it as aborted and reads up to the log end), an absent partition answers
 * UNKNOWN_TOPIC_OR_PARTITION, and a marker of an epoch older than the producer's INVALID_PRODUCER_EPOCH.
 */
final class WriteTxnMarkersScenario implements ApiScenario {
    /** The last Fetch version that names topics. */
    private static final short FETCH_VERSION = 12;

    @Override
    public ApiKeys api() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public void run(Exchange x) throws Exception {
        long producerId = Transactions.newProducerId(x);
        long first = Transactions.send(x, 0, producerId, "aborted");
        WriteTxnMarkersResponseData aborted = x.send(Transactions.marker(producerId, (short) 0, 0, false, 0, 9));
        assertEquals(List.of(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION), Transactions.errors(aborted, producerId));

        FetchResponseData.PartitionData fetched = readCommitted(x, first);
        assertEquals(fetched.highWatermark(), fetched.lastStableOffset(), "no transaction is open");
        assertEquals(List.of(new FetchResponseData.AbortedTransaction().setProducerId(producerId)
                .setFirstOffset(first)), fetched.abortedTransactions(), "aborted transactions");

        assertEquals(List.of(Errors.NONE), Transactions.errors(x.send(
                Transactions.marker(producerId, (short) 1, 0, false, 0)), producerId), "a newer epoch's abort");
        assertEquals(List.of(Errors.INVALID_PRODUCER_EPOCH), Transactions.errors(x.send(
                Transactions.marker(producerId, (short) 0, 0, true, 0)), producerId), "an older epoch's commit");
    }

    private static FetchResponseData.PartitionData readCommitted(Exchange x, long offset) throws Exception {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                .setMaxBytes(1 << 20).setIsolationLevel((byte) 1).setTopics(List.of(new FetchRequestData.FetchTopic()
                        .setTopic(Fixture.TXN_TOPIC).setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0).setFetchOffset(offset).setPartitionMaxBytes(1 << 20)
                                .setCurrentLeaderEpoch(-1)))));
        FetchResponseData response = x.sendAt(request, FETCH_VERSION);
        FetchResponseData.PartitionData partition = response.responses().get(0).partitions().get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode(), "fetch error");
        return partition;
    }
}
