package io.runnel.broker.handlers;

import io.runnel.broker.group.ClassicGroup;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** LeaveGroup: one member (v0-v2) or a batch with per-member errors (v3+, KIP-345). */
public final class LeaveGroupHandler implements ApiHandler {
    /** LeaveGroup v3 carries a list of members. */
    private static final short FIRST_BATCHED_VERSION = 3;

    private final GroupCoordinator coordinator;
    private final Authorization authorization;

    public LeaveGroupHandler(GroupCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        LeaveGroupRequestData request = (LeaveGroupRequestData) message;
        authorization.requireOnGroup(ctx, AclOperation.READ, request.groupId());
        boolean batched = ctx.apiVersion() >= FIRST_BATCHED_VERSION;
        List<MemberIdentity> leaving = batched ? request.members()
                : List.of(new MemberIdentity().setMemberId(request.memberId()));
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        GroupShard shard = coordinator.shardFor(request.groupId());
        CompletableFuture<ApiMessage> answered;
        synchronized (shard) {
            ClassicGroup group = shard.classicGroup(request.groupId(), false);
            for (MemberIdentity member : leaving) {
                Errors error = group.leave(member.memberId(), member.groupInstanceId());
                response.members().add(new MemberResponse()
                        .setMemberId(member.memberId())
                        .setGroupInstanceId(member.groupInstanceId())
                        .setErrorCode(error.code()));
            }
            if (!batched) {
                short error = response.members().get(0).errorCode();
                response.members().clear();
                response.setErrorCode(error);
            }
            answered = shard.whenCommitted(CompletableFuture.completedFuture(response));
        }
        return answered;
    }
}
