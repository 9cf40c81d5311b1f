package io.runnel.broker.handlers;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.CompletableFuture;

/** SyncGroup: members wait for the leader's assignment, which the leader's own SyncGroup carries. */
public final class SyncGroupHandler implements ApiHandler {
    private final GroupCoordinator coordinator;

    public SyncGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        SyncGroupRequestData request = (SyncGroupRequestData) message;
        GroupShard shard = coordinator.shardFor(request.groupId());
        synchronized (shard) {
            return shard.whenCommitted(shard.classicGroup(request.groupId(), false).sync(request))
                    .thenApply(response -> response);
        }
    }
}
