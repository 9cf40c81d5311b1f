package io.runnel.broker.handlers;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/** Heartbeat: keeps a classic member's session; REBALANCE_IN_PROGRESS tells it to rejoin. */
public final class HeartbeatHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final Authorization authorization;

    public HeartbeatHandler(GroupCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        HeartbeatRequestData request = (HeartbeatRequestData) message;
        authorization.requireOnGroup(ctx, AclOperation.READ, request.groupId());
        GroupShard shard = coordinator.shardFor(request.groupId());
        synchronized (shard) {
            shard.classicGroup(request.groupId(), false)
                    .heartbeat(request.memberId(), request.groupInstanceId(), request.generationId());
            return shard.whenCommitted(CompletableFuture.<ApiMessage>completedFuture(new HeartbeatResponseData()));
        }
    }
}
