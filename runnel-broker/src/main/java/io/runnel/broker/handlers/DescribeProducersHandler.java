package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.storage.ActiveProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/**
 * DescribeProducers: a replica of each partition, leader or follower as in Kafka (Admin asks the leader unless told a
 * broker id), lists the producers with state in its log (id, epoch, last sequence and timestamp, coordinator epoch of
 * the last marker, first offset of the open transaction), as kafka-transactions.sh describe-producers shows them.
 */
public final class DescribeProducersHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public DescribeProducersHandler(ReplicaManager replicas, Authorization authorization) {
        this.authorization = authorization;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeProducersRequestData request = (DescribeProducersRequestData) message;
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (DescribeProducersRequestData.TopicRequest topic : request.topics()) {
            TopicResponse topicResponse = new TopicResponse().setName(topic.name());
            for (int index : topic.partitionIndexes()) {
                topicResponse.partitions().add(describe(ctx, new TopicPartition(topic.name(), index)));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private PartitionResponse describe(RequestContext ctx, TopicPartition tp) {
        PartitionResponse response = new PartitionResponse().setPartitionIndex(tp.partition());
        try {
            authorization.requireOnTopic(ctx, AclOperation.READ, tp.topic());
            for (ActiveProducer p : replicas.replicaPartition(tp).log().activeProducers()) {
                response.activeProducers().add(new ProducerState().setProducerId(p.producerId())
                        .setProducerEpoch(p.epoch()).setLastSequence(p.lastSequence())
                        .setLastTimestamp(p.lastTimestamp()).setCoordinatorEpoch(p.coordinatorEpoch())
                        .setCurrentTxnStartOffset(p.currentTxnStartOffset()));
            }
            return response;
        } catch (ApiException e) {
            Errors error = Errors.forException(e);
            return response.setErrorCode(error.code()).setErrorMessage(e.getMessage());
        }
    }
}
