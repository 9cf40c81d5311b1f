package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.ProduceRecords;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ProducePurgatory;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.TopicImage;
import io.runnel.storage.AppendResult;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Produce: appends each partition's batches to the log it leads. Every failure is the partition's
 * error code; the request as a whole never fails. acks=1 is answered once the leader has appended;
 * acks=all waits in the produce purgatory until the high watermark passes the appended batches
 * (or the request's timeout passes).
 */
public final class ProduceHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ProduceHandler.class);
    /** Produce v13 identifies topics by id instead of name. */
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 13;
    /** Produce v10 names the current leader with NOT_LEADER_OR_FOLLOWER (KIP-951). */
    private static final short FIRST_VERSION_WITH_LEADER_HINTS = 10;

    private final ReplicaManager replicas;
    private final Authorization authorization;

    public ProduceHandler(ReplicaManager replicas, Authorization authorization) {
        this.replicas = replicas;
        this.authorization = authorization;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        ProduceRequestData request = (ProduceRequestData) message;
        boolean byId = ctx.apiVersion() >= FIRST_VERSION_WITH_TOPIC_IDS;
        short acks = request.acks();
        ProduceResponseData response = new ProduceResponseData();
        ProducePurgatory.Request replication = replicas.producePurgatory().newRequest();
        // Kafka: a transactional produce needs WRITE on its transactional id, each topic WRITE on the topic.
        boolean transactionDenied = request.transactionalId() != null && !authorization.allowed(ctx,
                AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId());
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse();
            if (byId) {
                topicResponse.setTopicId(topicData.topicId());
            } else {
                topicResponse.setName(topicData.name());
            }
            String topicName = byId ? nameOf(topicData) : topicData.name();
            Errors denied = transactionDenied ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                    : topicName != null && !authorization.allowed(ctx, AclOperation.WRITE, ResourceType.TOPIC, topicName)
                    ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.NONE;
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse partitionResponse = denied != Errors.NONE
                        ? error(new PartitionProduceResponse().setIndex(partitionData.index()), denied, null)
                        : append(topicName, partitionData, acks, topicData, replication);
                if (ctx.apiVersion() >= FIRST_VERSION_WITH_LEADER_HINTS && topicName != null) {
                    addLeaderHint(ctx, response, partitionResponse, new TopicPartition(topicName, partitionData.index()));
                }
                topicResponse.partitionResponses().add(partitionResponse);
            }
            response.responses().add(topicResponse);
        }
        return replication.complete(request.timeoutMs()).thenApply(done -> response);
    }

    private void addLeaderHint(RequestContext ctx, ProduceResponseData response, PartitionProduceResponse partition,
                               TopicPartition tp) {
        if (!LeaderHint.appliesTo(Errors.forCode(partition.errorCode()))) {
            return;
        }
        LeaderHint.of(replicas.image(), tp, ctx.listenerName()).ifPresent(hint -> {
            partition.setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch()
                    .setLeaderId(hint.leaderId()).setLeaderEpoch(hint.leaderEpoch()));
            if (hint.endpoint() != null && response.nodeEndpoints().find(hint.leaderId()) == null) {
                response.nodeEndpoints().add(new ProduceResponseData.NodeEndpoint().setNodeId(hint.leaderId())
                        .setHost(hint.endpoint().host()).setPort(hint.endpoint().port()).setRack(hint.rack()));
            }
        });
    }

    private String nameOf(ProduceRequestData.TopicProduceData topicData) {
        TopicImage topic = replicas.image().topicsById().get(topicData.topicId());
        return topic == null ? null : topic.name();
    }

    private PartitionProduceResponse append(String topicName, ProduceRequestData.PartitionProduceData partitionData,
                                            short acks, ProduceRequestData.TopicProduceData topicData,
                                            ProducePurgatory.Request replication) {
        PartitionProduceResponse response = new PartitionProduceResponse().setIndex(partitionData.index());
        try {
            if (acks != 0 && acks != 1 && acks != -1) {
                throw new InvalidRequiredAcksException("acks must be -1, 0 or 1, not " + acks);
            }
            if (topicName == null) {
                throw new UnknownTopicIdException("Unknown topic id " + topicData.topicId());
            }
            ByteBuffer batches = ProduceRecords.buffer(partitionData);
            if (batches == null || !batches.hasRemaining()) {
                throw new CorruptRecordException("Produce request for " + topicName + "-" + partitionData.index()
                        + " carries no record batch");
            }
            TopicPartition tp = new TopicPartition(topicName, partitionData.index());
            Partition partition = replicas.leaderPartition(tp);
            AppendResult result = partition.appendAsLeader(batches, acks);
            response.setBaseOffset(result.firstOffset())
                    .setLogAppendTimeMs(result.logAppendTime())
                    .setLogStartOffset(result.logStartOffset());
            if (acks == -1) {
                replication.await(partition, result.lastOffset() + 1, response);
            }
            return response;
        } catch (ApiException e) {
            return error(response, Errors.forException(e), e.getMessage());
        } catch (RuntimeException e) {
            log.error("Produce to {}-{} failed", topicName, partitionData.index(), e);
            return error(response, Errors.UNKNOWN_SERVER_ERROR, null);
        }
    }

    private static PartitionProduceResponse error(PartitionProduceResponse response, Errors error, String message) {
        return response.setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(-1)
                .setLogAppendTimeMs(-1)
                .setLogStartOffset(-1);
    }
}
