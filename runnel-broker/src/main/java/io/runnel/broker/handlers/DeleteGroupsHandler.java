package io.runnel.broker.handlers;

import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** DeleteGroups: each empty group goes with its offsets (tombstones); GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP otherwise. */
public final class DeleteGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final Authorization authorization;

    public DeleteGroupsHandler(GroupCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) message;
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        List<CompletableFuture<Void>> deletions = new ArrayList<>();
        for (String groupId : request.groupsNames()) {
            if (response.results().find(groupId) != null) {
                continue;
            }
            DeletableGroupResult result = new DeletableGroupResult().setGroupId(groupId);
            deletions.add(delete(ctx, groupId).handle((deleted, error) -> {
                if (error != null) {
                    result.setErrorCode(Errors.forException(error).code())
                            .setErrorMessage(Errors.maybeUnwrapException(error).getMessage());
                }
                return null;
            }));
            response.results().add(result);
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    /** Completes once the group's tombstones are committed. */
    private CompletableFuture<Void> delete(RequestContext ctx, String groupId) {
        try {
            authorization.requireOnGroup(ctx, AclOperation.DELETE, groupId);
            GroupShard shard = coordinator.shardFor(groupId);
            synchronized (shard) {
                Group group = shard.group(groupId);
                if (group == null) {
                    throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
                }
                if (!group.isEmpty()) {
                    throw new GroupNotEmptyException("Group " + groupId + " has members");
                }
                return shard.deleteGroup(groupId);
            }
        } catch (ApiException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
