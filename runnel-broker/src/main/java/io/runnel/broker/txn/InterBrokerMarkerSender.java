package io.runnel.broker.txn;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends a transaction's markers as WriteTxnMarkers v2 (naming the transaction's protocol version) to the leader of each of its partitions, one request per
 * broker (this one included, over the same client), and sends again to the partitions not yet acknowledged, after a
 * growing backoff and to their current leaders, until every partition has its marker. Nothing waits on a thread:
 * responses are handled on the client's thread, each round starts on this sender's own thread.
 */
public final class InterBrokerMarkerSender implements MarkerSender, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InterBrokerMarkerSender.class);
    /** WriteTxnMarkers v2 (KIP-1228) carries the transaction version, which every Runnel broker reads. */
    static final short VERSION = 2;
    /** Kafka's request.timeout.ms default, which its marker channel uses. */
    private static final long REQUEST_TIMEOUT_MS = 30_000;
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 1_000;

    /** Sends one request to a broker: {@code InterBrokerClient#send} on its control channel. */
    @FunctionalInterface
    public interface BrokerRequests {
        CompletableFuture<ApiMessage> send(int brokerId, ApiMessage request, short version, long timeoutMs);
    }

    /** The current leader of a partition: -1 while it has none, null when the partition does not exist. */
    @FunctionalInterface
    public interface PartitionLeaders {
        Integer leaderOf(TopicPartition tp);
    }

    private final BrokerRequests requests;
    private final PartitionLeaders leaders;
    private final ScheduledExecutorService rounds =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("runnel-txn-markers", true));
    /** The sendings whose last round found a partition without a leader, by identity. */
    private final Set<CompletableFuture<Void>> awaitingLeader = ConcurrentHashMap.newKeySet();

    public InterBrokerMarkerSender(BrokerRequests requests, PartitionLeaders leaders) {
        this.requests = requests;
        this.leaders = leaders;
    }

    @Override
    public CompletableFuture<Void> send(TransactionMarkers markers) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Set<TopicPartition> remaining = ConcurrentHashMap.newKeySet();
        remaining.addAll(markers.partitions());
        done.whenComplete((ok, error) -> awaitingLeader.remove(done));
        rounds.execute(() -> round(markers, remaining, done, FIRST_BACKOFF_MS));
        return done;
    }

    /**
     * The transactions whose markers wait for a partition to have a leader again (Kafka's
     * UnknownDestinationQueueSize, which counts one entry per transaction for its partitions without a leader).
     */
    public int awaitingLeaderCount() {
        return awaitingLeader.size();
    }

    private void round(TransactionMarkers markers, Set<TopicPartition> remaining, CompletableFuture<Void> done,
                       long backoffMs) {
        if (done.isDone()) {
            return;
        }
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        boolean leaderless = false;
        for (TopicPartition tp : remaining) {
            Integer leader = leaders.leaderOf(tp);
            if (leader == null) {
                log.warn("Partition {} of transaction {} no longer exists: no marker for it", tp, markers.transactionalId());
                remaining.remove(tp);
            } else if (leader >= 0) {
                byLeader.computeIfAbsent(leader, b -> new ArrayList<>()).add(tp);
            } else {
                leaderless = true;
            }
        }
        if (leaderless && !done.isDone()) {
            awaitingLeader.add(done);
        } else {
            awaitingLeader.remove(done);
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        byLeader.forEach((broker, partitions) -> sent.add(requests.send(broker, request(markers, partitions), VERSION,
                REQUEST_TIMEOUT_MS).handle((response, error) -> {
                    if (error != null) {
                        log.debug("WriteTxnMarkers to broker {} for {} failed: {}", broker, markers.transactionalId(),
                                error.toString());
                    } else {
                        acknowledge((WriteTxnMarkersResponseData) response, markers, remaining, done);
                    }
                    return null;
                })));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (remaining.isEmpty()) {
                done.complete(null);
            } else if (!done.isDone() && !rounds.isShutdown()) {
                rounds.schedule(() -> round(markers, remaining, done, Math.min(backoffMs * 2, MAX_BACKOFF_MS)),
                        backoffMs, TimeUnit.MILLISECONDS);
            }
        });
    }

    private static WriteTxnMarkersRequestData request(TransactionMarkers markers, List<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        List<WritableTxnMarkerTopic> topics = new ArrayList<>();
        byTopic.forEach((topic, indexes) -> topics.add(new WritableTxnMarkerTopic().setName(topic)
                .setPartitionIndexes(indexes)));
        return new WriteTxnMarkersRequestData().setMarkers(List.of(new WritableTxnMarker()
                .setProducerId(markers.producerId()).setProducerEpoch(markers.producerEpoch())
                .setTransactionResult(markers.commit()).setCoordinatorEpoch(markers.coordinatorEpoch())
                .setTransactionVersion((byte) markers.transactionVersion()).setTopics(topics)));
    }

    /**
     * As Kafka's coordinator: an acknowledged partition is done; a stale coordinator or producer epoch ends the sending
     * (a newer coordinator or epoch owns the transaction); any other error is retried.
     */
    private static void acknowledge(WriteTxnMarkersResponseData response, TransactionMarkers markers,
                                    Set<TopicPartition> remaining, CompletableFuture<Void> done) {
        response.markers().forEach(marker -> marker.topics().forEach(topic -> topic.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
            Errors error = Errors.forCode(p.errorCode());
            switch (error) {
                case NONE -> remaining.remove(tp);
                case INVALID_PRODUCER_EPOCH, PRODUCER_FENCED, TRANSACTION_COORDINATOR_FENCED ->
                        done.completeExceptionally(error.exception("The marker of " + markers.transactionalId()
                                + " for " + tp + " was refused: " + error));
                default -> log.debug("The marker of {} for {} failed with {}; retrying", markers.transactionalId(), tp,
                        error);
            }
        })));
    }

    @Override
    public void close() {
        rounds.shutdownNow();
    }
}
