package io.runnel.it.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.Await;
import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelCluster;
import io.runnel.it.wire.ApiConnection;
import io.runnel.it.wire.WireRecords;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
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
public final class RawTransactions implements AutoCloseable {
    /** The last Produce version that names topics (v13 uses ids). */
    private static final short PRODUCE_VERSION = 12;
    private static final short WRITE_TXN_MARKERS_VERSION = 1;
    /** The last Fetch version that names topics. */
    private static final short FETCH_VERSION = 12;
    /** What read_committed consumers read of {@link #writeInterleaved}'s partition, in order. */
    public static final List<String> COMMITTED = List.of("commit-0", "commit-1", "commit-2", "plain-0");
    /** What read_uncommitted consumers read of it. */
    public static final List<String> ALL = List.of("commit-0", "commit-1", "abort-0", "commit-2", "abort-1", "abort-2",
            "late-abort", "plain-0");

    private final ApiConnection connection;

    public RawTransactions(String leaderAddress) throws IOException {
        this.connection = new ApiConnection(leaderAddress, "raw-transactions");
    }

    /** The address of the leader of the topic's partition 0. */
    public static String leaderAddress(RunnelCluster cluster, Admin admin, String topic) throws Exception {
        // The broker Admin asks may not have applied the topic's creation yet: its metadata can trail the others'.
        int[] leader = {-1};
        Await.awaitCondition(Duration.ofSeconds(30), () -> {
            TopicDescription description = ClusterAdmin.describeOrNull(admin, topic);
            Node node = description == null ? null : description.partitions().get(0).leader();
            leader[0] = node == null || node.isEmpty() ? -1 : node.id();
            return leader[0] >= 0;
        }, topic + " has a leader every broker knows of");
        return cluster.node(leader[0]).bootstrapServers();
    }

    /** A new producer id (epoch 0) from InitProducerId. */
    public long newProducerId() throws IOException {
        InitProducerIdResponseData response = (InitProducerIdResponseData) connection.send(
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000)
                        .setProducerId(-1).setProducerEpoch((short) -1),
                ApiKeys.INIT_PRODUCER_ID.latestVersion(false));
        assertEquals(Errors.NONE.code(), response.errorCode(), "InitProducerId error");
        return response.producerId();
    }

    /**
     * Appends one transactional batch of the producer (epoch 0) with acks=all; returns its base offset. The request
     * names no transactional id, so the leader has no coordinator to confirm the transaction with (KIP-890's check
     * applies to requests that name one) and the test's own markers end it.
     */
    public long send(String topic, int partition, long producerId, int sequence, String... values) throws IOException {
        return produce(topic, WireRecords.transactionalProduceData(partition, System.currentTimeMillis(),
                List.of(values), producerId, (short) 0, sequence), null);
    }

    /** Appends one batch of a plain (non-idempotent) producer with acks=all; returns its base offset. */
    public long sendPlain(String topic, int partition, String... values) throws IOException {
        return produce(topic, WireRecords.produceData(partition, System.currentTimeMillis(), List.of(values)), null);
    }

    private long produce(String topic, ProduceRequestData.PartitionProduceData data, String transactionalId)
            throws IOException {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(data)));
        ProduceResponseData response = (ProduceResponseData) connection.send(new ProduceRequestData()
                .setAcks((short) -1).setTimeoutMs(30_000).setTransactionalId(transactionalId)
                .setTopicData(topics), PRODUCE_VERSION);
        ProduceResponseData.PartitionProduceResponse answer = response.responses().iterator().next()
                .partitionResponses().get(0);
        assertEquals(Errors.NONE.code(), answer.errorCode(), "produce error: " + answer.errorMessage());
        return answer.baseOffset();
    }

    /** Writes the producer's commit or abort marker to the partition; returns the partition's error. */
    public Errors marker(String topic, int partition, long producerId, short epoch, int coordinatorEpoch, boolean commit)
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

    /**
     * A read_committed consumer's Fetch of the partition from {@code offset}, waiting up to {@code maxWaitMs} for a
     * byte; the values it returns.
     */
    public List<String> fetchCommitted(String topic, int partition, long offset, int maxWaitMs) throws IOException {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(1)
                .setMaxBytes(1 << 20).setIsolationLevel((byte) 1).setTopics(List.of(new FetchRequestData.FetchTopic()
                        .setTopic(topic).setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(partition).setFetchOffset(offset).setPartitionMaxBytes(1 << 20)
                                .setCurrentLeaderEpoch(-1)))));
        FetchResponseData response = (FetchResponseData) connection.send(request, FETCH_VERSION);
        FetchResponseData.PartitionData data = response.responses().get(0).partitions().get(0);
        assertEquals(Errors.NONE.code(), data.errorCode(), "fetch error");
        return WireRecords.records(data).stream().map(WireRecords.FetchedRecord::value).toList();
    }

    /**
     * Writes two transactions of one producer and one of another into partition 0, interleaved, with a plain record:
     * the first producer's first transaction commits, its second and the other producer's abort. Read_committed
     * consumers must read {@link #COMMITTED}, read_uncommitted ones {@link #ALL}.
     */
    public void writeInterleaved(String topic) throws IOException {
        long committer = newProducerId();
        long aborter = newProducerId();
        send(topic, 0, committer, 0, "commit-0", "commit-1");
        send(topic, 0, aborter, 0, "abort-0");
        send(topic, 0, committer, 2, "commit-2");
        send(topic, 0, aborter, 1, "abort-1", "abort-2");
        requireNone(marker(topic, 0, aborter, (short) 0, 0, false));
        requireNone(marker(topic, 0, committer, (short) 0, 0, true));
        send(topic, 0, committer, 3, "late-abort");
        sendPlain(topic, 0, "plain-0");
        requireNone(marker(topic, 0, committer, (short) 0, 0, false));
    }

    private static void requireNone(Errors error) {
        assertEquals(Errors.NONE, error, "marker error");
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
