package io.runnel.broker.handlers;

import io.runnel.broker.coordinator.TransactionMarker;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.InternalTopics;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ProducePurgatory;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.storage.AppendResult;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * WriteTxnMarkers, sent by a transaction coordinator to each partition leader of a transaction: appends the commit or
 * abort marker of each producer to each partition it names and answers once every marker is below its partition's
 * high watermark (acks=all, as Kafka). Each partition answers its own error: NOT_LEADER_OR_FOLLOWER or
 * UNKNOWN_TOPIC_OR_PARTITION away from the leader, INVALID_PRODUCER_EPOCH for an older producer epoch,
 * TRANSACTION_COORDINATOR_FENCED for an older coordinator epoch, NOT_ENOUGH_REPLICAS(_AFTER_APPEND) under
 * min.insync.replicas, REQUEST_TIMED_OUT if replication takes longer than Kafka's request.timeout.ms default.
 *
 * <p>A marker for a partition of {@code __consumer_offsets} goes through the group coordinator's shard of that
 * partition, in order with its writes, so that it applies or drops the producer's transactional offsets once committed
 * (as Kafka's group coordinator does). While that shard is not loaded here the partition answers
 * NOT_LEADER_OR_FOLLOWER, which the transaction coordinator retries, as Kafka translates the coordinator's errors.
 */
public final class WriteTxnMarkersHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(WriteTxnMarkersHandler.class);
    /** Kafka waits for the markers' replication up to the broker's request.timeout.ms, 30 s by default. */
    private static final long REPLICATION_TIMEOUT_MS = 30_000;

    private final ReplicaManager replicas;
    private final GroupCoordinator groups;

    public WriteTxnMarkersHandler(ReplicaManager replicas, GroupCoordinator groups) {
        this.replicas = replicas;
        this.groups = groups;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        WriteTxnMarkersRequestData request = (WriteTxnMarkersRequestData) message;
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        ProducePurgatory.Request replication = replicas.producePurgatory().newRequest();
        List<CompletableFuture<Void>> offsetMarkers = new ArrayList<>();
        for (WritableTxnMarker marker : request.markers()) {
            WritableTxnMarkerResult markerResult = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            // v2 (KIP-1228) names the transaction version; v1 reads as 0 (a legacy marker).
            int transactionVersion = marker.transactionVersion();
            for (WritableTxnMarkerTopic topic : marker.topics()) {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                for (int index : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult result = new WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(index);
                    TopicPartition tp = new TopicPartition(topic.name(), index);
                    if (tp.topic().equals(InternalTopics.CONSUMER_OFFSETS)) {
                        offsetMarkers.add(writeToGroupCoordinator(tp, marker, transactionVersion, result));
                    } else {
                        write(tp, marker, transactionVersion, result, replication);
                    }
                    topicResult.partitions().add(result);
                }
                markerResult.topics().add(topicResult);
            }
            response.markers().add(markerResult);
        }
        offsetMarkers.add(replication.complete(REPLICATION_TIMEOUT_MS));
        return CompletableFuture.allOf(offsetMarkers.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    private CompletableFuture<Void> writeToGroupCoordinator(TopicPartition tp, WritableTxnMarker marker,
                                                            int transactionVersion,
                                                            WritableTxnMarkerPartitionResult result) {
        TransactionMarker ending = new TransactionMarker(marker.producerId(), marker.producerEpoch(),
                marker.coordinatorEpoch(), marker.transactionResult(), transactionVersion);
        return groups.completeTransaction(tp.partition(), ending).handle((done, error) -> {
            if (error != null) {
                Errors code = Errors.forException(error);
                result.setErrorCode(switch (code) {
                    case COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR ->
                            Errors.NOT_LEADER_OR_FOLLOWER.code();
                    default -> code.code();
                });
            }
            return null;
        });
    }

    private void write(TopicPartition tp, WritableTxnMarker marker, int transactionVersion,
                       WritableTxnMarkerPartitionResult result, ProducePurgatory.Request replication) {
        try {
            Partition partition = replicas.leaderPartition(tp);
            AppendResult appended = partition.appendMarkerAsLeader(marker.producerId(), marker.producerEpoch(),
                    marker.coordinatorEpoch(), marker.transactionResult(), transactionVersion);
            replication.await(partition, appended.lastOffset() + 1, error -> result.setErrorCode(error.code()));
        } catch (ApiException e) {
            log.debug("Refusing the transaction marker of producer {} for {}: {}", marker.producerId(), tp,
                    e.getMessage());
            result.setErrorCode(Errors.forException(e).code());
        } catch (RuntimeException e) {
            log.error("Writing the transaction marker of producer {} to {} failed", marker.producerId(), tp, e);
            result.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code());
        }
    }
}
