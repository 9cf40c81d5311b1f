package io.runnel.broker.handlers;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/** SyncGroup: members wait for the leader's assignment, which the leader's own SyncGroup carries. */
public final class SyncGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final Authorization authorization;

    public SyncGroupHandler(GroupCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        SyncGroupRequestData request = (SyncGroupRequestData) message;
        authorization.requireOnGroup(ctx, AclOperation.READ, request.groupId());
        GroupShard shard = coordinator.shardFor(request.groupId());
        synchronized (shard) {
            return shard.whenCommitted(shard.classicGroup(request.groupId(), false).sync(request))
                    .thenApply(response -> response);
        }
    }
}
