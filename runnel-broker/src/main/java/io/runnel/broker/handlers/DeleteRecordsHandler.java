package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * DeleteRecords: on the leader of each partition, moves the log start offset up to the requested offset (-1 meaning
 * the high watermark); the answer's low watermark is the new log start offset.
 */
public final class DeleteRecordsHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public DeleteRecordsHandler(ReplicaManager replicas, Authorization authorization) {
        this.authorization = authorization;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DeleteRecordsRequestData request = (DeleteRecordsRequestData) message;
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition p : topic.partitions()) {
                topicResult.partitions().add(delete(ctx, new TopicPartition(topic.name(), p.partitionIndex()), p.offset()));
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }

    private DeleteRecordsPartitionResult delete(RequestContext ctx, TopicPartition tp, long offset) {
        DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult().setPartitionIndex(tp.partition());
        try {
            authorization.requireOnTopic(ctx, AclOperation.DELETE, tp.topic());
            return result.setLowWatermark(replicas.leaderPartition(tp).log().deleteRecordsBefore(offset));
        } catch (ApiException e) {
            return result.setLowWatermark(-1).setErrorCode(Errors.forException(e).code());
        }
    }
}
