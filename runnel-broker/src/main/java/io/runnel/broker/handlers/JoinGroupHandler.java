package io.runnel.broker.handlers;

import io.runnel.broker.group.ClassicGroup;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/** JoinGroup: parks the member in its classic group until the join phase completes (see {@link ClassicGroup}). */
public final class JoinGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final Authorization authorization;

    public JoinGroupHandler(GroupCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        JoinGroupRequestData request = (JoinGroupRequestData) message;
        String groupId = request.groupId();
        if (groupId == null || groupId.isEmpty()) {
            throw new InvalidGroupIdException("The group id is empty");
        }
        authorization.requireOnGroup(ctx, AclOperation.READ, groupId);
        GroupShard shard = coordinator.shardFor(groupId);
        synchronized (shard) {
            ClassicGroup group = shard.classicGroup(groupId, request.memberId().isEmpty());
            try {
                return shard.whenCommitted(group.join(request, ctx.apiVersion(), ctx.clientId(),
                        ctx.remoteAddress().getAddress().toString())).thenApply(response -> response);
            } catch (ApiException e) {
                shard.dropIfUnused(groupId);
                throw e;
            }
        }
    }
}
