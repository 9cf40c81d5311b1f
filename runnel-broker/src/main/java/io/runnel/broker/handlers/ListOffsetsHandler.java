package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.storage.PartitionLog;
import io.runnel.storage.TimestampOffset;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * ListOffsets: earliest, latest, max-timestamp and by-timestamp lookups, as Kafka's leader answers them; latest and
 * timestamps stop at the last stable offset for read_committed.
 */
public final class ListOffsetsHandler implements ApiHandler {
    // Kafka's special timestamps (ListOffsetsRequest).
    static final long LATEST = -1L;
    static final long EARLIEST = -2L;
    static final long MAX_TIMESTAMP = -3L;
    static final long EARLIEST_LOCAL = -4L;
    static final long LATEST_TIERED = -5L;
    static final long EARLIEST_PENDING_UPLOAD = -6L;

    /** ListOffsets v0-v3 responses have no leader epoch: setting one makes the response unwritable at those versions. */
    private static final short FIRST_VERSION_WITH_LEADER_EPOCH = 4;
    private static final int CONSUMER_REPLICA_ID = -1;

    private final ReplicaManager replicas;
    private final Authorization authorization;

    public ListOffsetsHandler(ReplicaManager replicas, Authorization authorization) {
        this.replicas = replicas;
        this.authorization = authorization;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        ListOffsetsRequestData request = (ListOffsetsRequestData) message;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            boolean allowed = authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition p : topic.partitions()) {
                topicResponse.partitions().add(!allowed ? new ListOffsetsPartitionResponse()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setTimestamp(-1).setOffset(-1) : lookup(new TopicPartition(topic.name(), p.partitionIndex()), p,
                        ctx.apiVersion(), request.replicaId(), request.isolationLevel()));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsPartitionResponse lookup(TopicPartition tp, ListOffsetsRequestData.ListOffsetsPartition p,
                                                short version, int replicaId, byte isolationLevel) {
        ListOffsetsPartitionResponse response = new ListOffsetsPartitionResponse()
                .setPartitionIndex(tp.partition());
        try {
            Partition partition = replicas.leaderPartition(tp);
            partition.validateLeaderEpoch(p.currentLeaderEpoch());
            PartitionLog log = partition.log();
            // A consumer sees up to the high watermark, with read_committed up to the last stable offset; a replica
            // or a debugging client (replica id other than -1) up to the log end, as in Kafka.
            long latest = replicaId != CONSUMER_REPLICA_ID ? log.logEndOffset()
                    : isolationLevel == IsolationLevel.READ_COMMITTED.id() ? log.lastStableOffset()
                    : log.highWatermark();
            Optional<TimestampOffset> found;
            long timestamp = p.timestamp();
            if (timestamp == LATEST) {
                found = Optional.of(new TimestampOffset(-1, latest, partition.leaderEpoch()));
            } else if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
                found = Optional.of(new TimestampOffset(-1, log.logStartOffset(), log.logStartEpoch()));
            } else if (timestamp == MAX_TIMESTAMP) {
                found = log.maxTimestampOffset();
            } else if (timestamp == LATEST_TIERED || timestamp == EARLIEST_PENDING_UPLOAD) {
                // No tiered storage: nothing is tiered or pending upload.
                found = Optional.empty();
            } else {
                found = log.offsetForTimestamp(timestamp).filter(t -> t.offset() < latest);
            }
            TimestampOffset result = found.orElse(new TimestampOffset(-1, -1, -1));
            response.setTimestamp(result.timestamp()).setOffset(result.offset());
            if (version >= FIRST_VERSION_WITH_LEADER_EPOCH) {
                response.setLeaderEpoch(result.leaderEpoch());
            }
            return response;
        } catch (ApiException e) {
            return response.setErrorCode(Errors.forException(e).code()).setTimestamp(-1).setOffset(-1);
        }
    }
}
