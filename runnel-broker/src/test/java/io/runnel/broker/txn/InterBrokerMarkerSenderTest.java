package io.runnel.broker.txn;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The markers go as WriteTxnMarkers v1, one request per partition leader, and again to the partitions not yet
 * acknowledged (at their current leader) until all are; a stale epoch stops the sending.
 */
class InterBrokerMarkerSenderTest {
    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);
    private static final TopicPartition B0 = new TopicPartition("b", 0);
    private static final TopicPartition GONE = new TopicPartition("deleted", 0);
    private static final TransactionMarkers COMMIT =
            new TransactionMarkers("t", 42, (short) 3, true, 7, Set.of(A0, A1, B0, GONE), TransactionVersions.TV2);

    private record Request(int broker, WriteTxnMarkersRequestData data, short version) {
    }

    private final Map<TopicPartition, Integer> leaders = new ConcurrentHashMap<>(Map.of(A0, 1, A1, 2, B0, 1));
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** What a broker answers for a partition. */
    private volatile BiFunction<Integer, TopicPartition, Errors> answer = (broker, tp) -> Errors.NONE;
    private final InterBrokerMarkerSender sender = new InterBrokerMarkerSender(this::send, leaders::get);

    @AfterEach
    void stop() {
        sender.close();
    }

    private CompletableFuture<ApiMessage> send(int broker, ApiMessage request, short version, long timeoutMs) {
        WriteTxnMarkersRequestData data = (WriteTxnMarkersRequestData) request;
        requests.add(new Request(broker, data, version));
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        for (WritableTxnMarker marker : data.markers()) {
            WritableTxnMarkerResult result = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            marker.topics().forEach(topic -> {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                topic.partitionIndexes().forEach(p -> topicResult.partitions().add(new WritableTxnMarkerPartitionResult()
                        .setPartitionIndex(p)
                        .setErrorCode(answer.apply(broker, new TopicPartition(topic.name(), p)).code())));
                result.topics().add(topicResult);
            });
            response.markers().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    @Test
    void oneRequestPerLeaderCarriesTheMarkerOfEachOfItsPartitions() {
        sender.send(COMMIT).join();
        assertEquals(Set.of(1, 2), Set.copyOf(requests.stream().map(Request::broker).toList()));
        assertEquals(2, requests.size(), "a partition that no longer exists gets no marker");
        for (Request request : requests) {
            assertEquals(2, request.version());
            WritableTxnMarker marker = request.data().markers().get(0);
            assertEquals(42, marker.producerId());
            assertEquals(3, marker.producerEpoch());
            assertTrue(marker.transactionResult(), "commit");
            assertEquals(7, marker.coordinatorEpoch());
            assertEquals(TransactionVersions.TV2, marker.transactionVersion(), "the bumped epoch is said");
        }
        Request toBroker1 = requests.stream().filter(r -> r.broker() == 1).findFirst().orElseThrow();
        assertEquals(Map.of("a", List.of(0), "b", List.of(0)), partitions(toBroker1.data()));
    }

    @Test
    void unacknowledgedPartitionsAreSentAgainToTheirCurrentLeader() {
        answer = (broker, tp) -> tp.equals(A1) && broker == 2 ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.NONE;
        CompletableFuture<Void> done = sender.send(COMMIT);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (requests.stream().filter(r -> r.broker() == 2).count() < 2) {
            assertTrue(System.nanoTime() < deadline, "retried");
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        leaders.put(A1, 3);
        done.join();
        Request last = requests.get(requests.size() - 1);
        assertEquals(3, last.broker(), "the moved partition's new leader");
        assertEquals(Map.of("a", List.of(1)), partitions(last.data()), "only the partition not yet acknowledged");
    }

    @Test
    void aStaleProducerEpochStopsTheSending() {
        answer = (broker, tp) -> tp.equals(B0) ? Errors.PRODUCER_FENCED : Errors.NONE;
        CompletionException e = assertThrows(CompletionException.class, () -> sender.send(COMMIT).join());
        assertInstanceOf(ProducerFencedException.class, e.getCause());
    }

    private static Map<String, List<Integer>> partitions(WriteTxnMarkersRequestData data) {
        Map<String, List<Integer>> byTopic = new java.util.TreeMap<>();
        data.markers().get(0).topics().forEach(t -> byTopic.put(t.name(), t.partitionIndexes()));
        return byTopic;
    }
}
