package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetForLeaderEpoch: the end offset of a leader epoch, with which consumers validate their
 * position after a leader change and followers find where their log diverges.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public OffsetForLeaderEpochHandler(ReplicaManager replicas, Authorization authorization) {
        this.authorization = authorization;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        OffsetForLeaderEpochRequestData request = (OffsetForLeaderEpochRequestData) message;
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        // Kafka: a follower needs CLUSTER_ACTION on the cluster, a consumer DESCRIBE on each topic.
        boolean follower = request.replicaId() >= 0;
        if (follower) {
            authorization.requireOnCluster(ctx, AclOperation.CLUSTER_ACTION);
        }
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderTopicResult topicResult = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p : topic.partitions()) {
                topicResult.partitions().add(endOffset(ctx, follower, new TopicPartition(topic.topic(), p.partition()), p));
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }

    private EpochEndOffset endOffset(RequestContext ctx, boolean follower, TopicPartition tp,
                                     OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p) {
        EpochEndOffset result = new EpochEndOffset().setPartition(tp.partition());
        try {
            if (!follower) {
                authorization.requireOnTopic(ctx, AclOperation.DESCRIBE, tp.topic());
            }
            Partition partition = replicas.leaderPartition(tp);
            partition.validateLeaderEpoch(p.currentLeaderEpoch());
            Optional<io.runnel.storage.EpochEndOffset> end = partition.log().endOffsetForEpoch(p.leaderEpoch());
            return end.map(e -> result.setLeaderEpoch(e.epoch()).setEndOffset(e.endOffset()))
                    .orElseGet(() -> result.setLeaderEpoch(-1).setEndOffset(-1));
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code()).setLeaderEpoch(-1).setEndOffset(-1);
        }
    }
}
