package io.runnel.broker.handlers;

import io.runnel.broker.group.CommittedOffset;
import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetCommit: the group validates the committer (generation / member epoch; generation -1 without member is a
 * simple commit, which needs an empty or unknown group), then every valid partition's offset is written in one batch.
 * Per-partition errors as {@link CommitPartitions} checks them (topics by id from v10).
 */
public final class OffsetCommitHandler implements ApiHandler {
    /** OffsetCommit v10 names topics by id. */
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 10;

    private final GroupCoordinator coordinator;
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public OffsetCommitHandler(GroupCoordinator coordinator, ReplicaManager replicas, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        OffsetCommitRequestData request = (OffsetCommitRequestData) message;
        authorization.requireOnGroup(ctx, AclOperation.READ, request.groupId());
        boolean byId = ctx.apiVersion() >= FIRST_VERSION_WITH_TOPIC_IDS;
        CommitPartitions<OffsetCommitRequestPartition> partitions = new CommitPartitions<>(replicas.image(), byId,
                coordinator.config().offsetMetadataMaxBytes(), System.currentTimeMillis(),
                topic -> authorization.allowed(ctx, AclOperation.READ, ResourceType.TOPIC, topic));
        request.topics().forEach(t -> t.partitions().forEach(p -> partitions.add(t.name(), t.topicId(), p,
                p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata())));
        return commit(request, partitions.commits())
                .thenApply(groupError -> response(request, byId, partitions.errors(groupError)));
    }

    private static ApiMessage response(OffsetCommitRequestData request, boolean byId,
                                       Map<OffsetCommitRequestPartition, Errors> errors) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseTopic();
            if (byId) {
                topicResponse.setTopicId(topic.topicId() == null ? Uuid.ZERO_UUID : topic.topicId());
            } else {
                topicResponse.setName(topic.name());
            }
            for (OffsetCommitRequestPartition p : topic.partitions()) {
                topicResponse.partitions().add(new OffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setErrorCode(errors.get(p).code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /**
     * The error of the whole group, once known: NONE when the commits are committed; validation errors apply even
     * with nothing valid to write.
     */
    private CompletableFuture<Errors> commit(OffsetCommitRequestData request, Map<TopicPartition, CommittedOffset> commits) {
        String groupId = request.groupId();
        try {
            GroupShard shard = coordinator.shardFor(groupId);
            synchronized (shard) {
                Group group = shard.group(groupId);
                if (group != null) {
                    group.validateOffsetCommit(request.memberId(), request.groupInstanceId(),
                            request.generationIdOrMemberEpoch());
                } else if (request.generationIdOrMemberEpoch() >= 0) {
                    throw new IllegalGenerationException("Group " + groupId + " has no generation "
                            + request.generationIdOrMemberEpoch());
                }
                return shard.commitOffsets(groupId, commits)
                        .handle((written, error) -> error == null ? Errors.NONE : Errors.forException(error));
            }
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(Errors.forException(e));
        }
    }
}
