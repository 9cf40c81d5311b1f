package io.runnel.broker.handlers;

import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.group.consumer.ConsumerGroup;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupDescribe (KIP-848): members, epochs, current and target assignments, assignor of consumer groups; each
 * answered once every write its shard made before is committed.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator, ReplicaManager replicas,
                                        Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        ConsumerGroupDescribeRequestData request = (ConsumerGroupDescribeRequestData) message;
        List<CompletableFuture<DescribedGroup>> groups = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            CompletableFuture<DescribedGroup> described;
            try {
                if (groupId == null || groupId.isEmpty()) {
                    throw new InvalidGroupIdException("Group id can't be empty.");
                }
                authorization.requireOnGroup(ctx, AclOperation.DESCRIBE, groupId);
                GroupShard shard = coordinator.shardFor(groupId);
                described = shard.whenCommitted(CompletableFuture.completedFuture(describe(shard, groupId)
                        .setAuthorizedOperations(request.includeAuthorizedOperations()
                                ? authorization.authorizedOperations(ctx, ResourceType.GROUP, groupId,
                                        AuthorizedOperations.GROUP) : AuthorizedOperations.OMITTED)));
            } catch (ApiException e) {
                described = CompletableFuture.failedFuture(e);
            }
            groups.add(described.exceptionally(e -> {
                Throwable cause = Errors.maybeUnwrapException(e);
                return new DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.forException(cause).code()).setErrorMessage(cause.getMessage());
            }));
        }
        return Results.inOrder(groups).thenApply(described -> new ConsumerGroupDescribeResponseData().setGroups(described));
    }

    private DescribedGroup describe(GroupShard shard, String groupId) {
        synchronized (shard) {
            Group group = shard.group(groupId);
            if (group instanceof ConsumerGroup consumerGroup) {
                return consumerGroup.describe(replicas.image());
            }
            throw new GroupIdNotFoundException(group == null
                    ? "Group " + groupId + " not found." : "Group " + groupId + " is not a consumer group.");
        }
    }
}
