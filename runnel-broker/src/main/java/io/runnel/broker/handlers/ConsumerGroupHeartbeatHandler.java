package io.runnel.broker.handlers;

import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.group.consumer.ConsumerGroup;
import io.runnel.broker.group.consumer.ConsumerGroupConfig;
import io.runnel.broker.group.consumer.HeartbeatValidator;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.concurrent.CompletableFuture;

/** ConsumerGroupHeartbeat (KIP-848): joins, heartbeats and leaves of consumer-protocol members. */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final ReplicaManager replicas;
    private final ConsumerGroupConfig config;
    private final Authorization authorization;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator, ReplicaManager replicas, ConsumerGroupConfig config,
                                         Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
        this.replicas = replicas;
        this.config = config;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        ConsumerGroupHeartbeatRequestData request = (ConsumerGroupHeartbeatRequestData) message;
        CompletableFuture<ConsumerGroupHeartbeatResponseData> response;
        try {
            // Kafka: READ on the group, DESCRIBE on every topic subscribed to by name.
            authorization.requireOnGroup(ctx, AclOperation.READ, request.groupId());
            if (request.subscribedTopicNames() != null) {
                request.subscribedTopicNames().forEach(t -> authorization.requireOnTopic(ctx, AclOperation.DESCRIBE, t));
            }
            HeartbeatValidator.Checked checked = HeartbeatValidator.check(request, ctx.apiVersion(), config);
            GroupShard shard = coordinator.shardFor(request.groupId());
            synchronized (shard) {
                response = shard.whenCommitted(CompletableFuture.completedFuture(consumerGroup(shard, request)
                        .heartbeat(request, checked, ctx.clientId(),
                                "/" + ctx.remoteAddress().getAddress().getHostAddress(), replicas.image())));
            }
        } catch (ApiException e) {
            response = CompletableFuture.failedFuture(e);
        }
        // Kafka's coordinator says why, which the generic error response would not.
        return response.handle((answer, error) -> error == null ? answer
                : new ConsumerGroupHeartbeatResponseData().setErrorCode(Errors.forException(error).code())
                        .setErrorMessage(Errors.maybeUnwrapException(error).getMessage()));
    }

    /** The consumer group of the request; an empty classic group of that id (offsets only) becomes one. */
    private ConsumerGroup consumerGroup(GroupShard shard, ConsumerGroupHeartbeatRequestData request) {
        Group group = shard.group(request.groupId());
        if (group instanceof ConsumerGroup consumerGroup) {
            return consumerGroup;
        }
        if (group != null && !group.isEmpty()) {
            throw new GroupIdNotFoundException("Group " + request.groupId() + " is not a consumer group.");
        }
        if (request.memberEpoch() != 0) {
            // Membership is kept in memory: after the coordinator moved, members learn they must rejoin.
            throw new UnknownMemberIdException("Member " + request.memberId() + " is not in group " + request.groupId());
        }
        return shard.addGroup(new ConsumerGroup(request.groupId(), config, shard::schedule, System::currentTimeMillis,
                shard::consumerGroupRebalanced));
    }
}
