package io.runnel.broker.handlers;

import io.runnel.broker.group.ClassicGroup;
import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups (classic groups): state, protocol, members, and in Stable their metadata and assignments. An unknown
 * group (or one of another type) is GROUP_ID_NOT_FOUND from v6, a "Dead" group before, as in Kafka. A group is
 * answered once every write its shard made before is committed, so no client sees a state change a failover could undo.
 */
public final class DescribeGroupsHandler implements ApiHandler {
    /** DescribeGroups v6 (KIP-1043) reports unknown groups as errors. */
    private static final short FIRST_VERSION_WITH_NOT_FOUND = 6;

    private final GroupCoordinator coordinator;
    private final Authorization authorization;

    public DescribeGroupsHandler(GroupCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeGroupsRequestData request = (DescribeGroupsRequestData) message;
        List<CompletableFuture<DescribedGroup>> groups = new ArrayList<>();
        for (String groupId : request.groups()) {
            CompletableFuture<DescribedGroup> described;
            try {
                authorization.requireOnGroup(ctx, AclOperation.DESCRIBE, groupId);
                GroupShard shard = coordinator.shardFor(groupId);
                described = shard.whenCommitted(CompletableFuture.completedFuture(describe(shard, groupId,
                        ctx.apiVersion())));
            } catch (ApiException e) {
                described = CompletableFuture.failedFuture(e);
            }
            groups.add(described.exceptionally(e -> error(groupId, Errors.maybeUnwrapException(e), ctx.apiVersion()))
                    .thenApply(group -> group.setAuthorizedOperations(
                            request.includeAuthorizedOperations() && group.errorCode() == Errors.NONE.code()
                                    ? authorization.authorizedOperations(ctx, ResourceType.GROUP, groupId,
                                            AuthorizedOperations.GROUP) : AuthorizedOperations.OMITTED)));
        }
        return Results.inOrder(groups).thenApply(described -> new DescribeGroupsResponseData().setGroups(described));
    }

    private static DescribedGroup error(String groupId, Throwable e, short version) {
        // The error message field exists from v6 on.
        return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.forException(e).code())
                .setErrorMessage(version >= FIRST_VERSION_WITH_NOT_FOUND ? e.getMessage() : null)
                .setGroupState("").setProtocolType("").setProtocolData("");
    }

    private static DescribedGroup describe(GroupShard shard, String groupId, short version) {
        synchronized (shard) {
            Group group = shard.group(groupId);
            if (group instanceof ClassicGroup classic) {
                return classic.describe();
            }
            String why = group == null ? "Group " + groupId + " does not exist" : "Group " + groupId + " is not a classic group";
            if (version >= FIRST_VERSION_WITH_NOT_FOUND) {
                return new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage(why).setGroupState("").setProtocolType("").setProtocolData("");
            }
            return new DescribedGroup().setGroupId(groupId).setGroupState("Dead").setProtocolType("").setProtocolData("");
        }
    }
}
