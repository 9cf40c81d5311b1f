package io.runnel.broker.handlers;

import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetDelete: removes a group's committed offsets, except for topics a member still consumes
 * (GROUP_SUBSCRIBED_TO_TOPIC); GROUP_ID_NOT_FOUND for an unknown group, NON_EMPTY_GROUP for a group with members of a
 * protocol other than "consumer" (whose subscriptions cannot be known).
 */
public final class OffsetDeleteHandler implements ApiHandler {
    private static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final GroupCoordinator coordinator;
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public OffsetDeleteHandler(GroupCoordinator coordinator, ReplicaManager replicas, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        OffsetDeleteRequestData request = (OffsetDeleteRequestData) message;
        String groupId = request.groupId();
        authorization.requireOnGroup(ctx, AclOperation.DELETE, groupId);
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        GroupShard shard = coordinator.shardFor(groupId);
        synchronized (shard) {
            Group group = shard.group(groupId);
            if (group == null) {
                throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
            }
            if (!group.isEmpty() && !CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
                throw new GroupNotEmptyException("Group " + groupId + " has members");
            }
            List<TopicPartition> deletable = new ArrayList<>();
            for (OffsetDeleteRequestTopic topic : request.topics()) {
                OffsetDeleteResponseTopic topicResponse = new OffsetDeleteResponseTopic().setName(topic.name());
                TopicImage known = replicas.image().topicsByName().get(topic.name());
                Errors topicError = !authorization.allowed(ctx, AclOperation.READ, ResourceType.TOPIC, topic.name())
                        ? Errors.TOPIC_AUTHORIZATION_FAILED : known == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                        : group.isSubscribedTo(topic.name()) ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE;
                for (OffsetDeleteRequestPartition p : topic.partitions()) {
                    Errors error = topicError == Errors.NONE && !known.partitions().containsKey(p.partitionIndex())
                            ? Errors.UNKNOWN_TOPIC_OR_PARTITION : topicError;
                    if (error == Errors.NONE) {
                        deletable.add(new TopicPartition(topic.name(), p.partitionIndex()));
                    }
                    topicResponse.partitions().add(new OffsetDeleteResponsePartition()
                            .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()));
                }
                response.topics().add(topicResponse);
            }
            return shard.deleteOffsets(groupId, deletable).thenApply(deleted -> response);
        }
    }
}
