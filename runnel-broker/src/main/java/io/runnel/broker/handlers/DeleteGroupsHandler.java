package io.runnel.broker.handlers;

import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/** DeleteGroups: each empty group goes with its offsets (tombstones); GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP otherwise. */
public final class DeleteGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public DeleteGroupsHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) message;
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        for (String groupId : request.groupsNames()) {
            if (response.results().find(groupId) != null) {
                continue;
            }
            DeletableGroupResult result = new DeletableGroupResult().setGroupId(groupId);
            try {
                delete(groupId);
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private void delete(String groupId) {
        GroupShard shard = coordinator.shardFor(groupId);
        synchronized (shard) {
            Group group = shard.group(groupId);
            if (group == null) {
                throw new GroupIdNotFoundException("Group " + groupId + " does not exist");
            }
            if (!group.isEmpty()) {
                throw new GroupNotEmptyException("Group " + groupId + " has members");
            }
            shard.deleteGroup(groupId);
        }
    }
}
