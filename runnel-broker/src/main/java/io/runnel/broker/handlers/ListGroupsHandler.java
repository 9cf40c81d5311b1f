package io.runnel.broker.handlers;

import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.security.Authorization;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** ListGroups: the groups of every loaded shard, filtered by state (v4+) and type (v5+), case-insensitively. */
public final class ListGroupsHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final Authorization authorization;

    public ListGroupsHandler(GroupCoordinator coordinator, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        ListGroupsRequestData request = (ListGroupsRequestData) message;
        Set<String> states = lowerCase(request.statesFilter());
        Set<String> types = lowerCase(request.typesFilter());
        // Kafka: DESCRIBE on the cluster lists every group, else only the groups the principal may describe.
        boolean all = authorization.allowedOnCluster(ctx, AclOperation.DESCRIBE);
        List<CompletableFuture<List<ListedGroup>>> shards = new ArrayList<>();
        for (GroupShard shard : coordinator.loadedShards()) {
            List<ListedGroup> listed = new ArrayList<>();
            synchronized (shard) {
                for (Group group : shard.groups()) {
                    String state = group.stateName();
                    // Kafka's coordinator names types in lower case ("classic", "consumer"); clients parse any case.
                    String type = group.type().toString().toLowerCase(Locale.ROOT);
                    if ((all || authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId()))
                            && (states.isEmpty() || states.contains(state.toLowerCase(Locale.ROOT)))
                            && (types.isEmpty() || types.contains(type.toLowerCase(Locale.ROOT)))) {
                        listed.add(new ListedGroup()
                                .setGroupId(group.groupId())
                                .setProtocolType(group.protocolType())
                                .setGroupState(state)
                                .setGroupType(type));
                    }
                }
            }
            // A shard whose pending writes fail has lost its partition: its groups are listed by its next leader.
            shards.add(shard.whenCommitted(CompletableFuture.completedFuture(listed))
                    .exceptionally(e -> List.of()));
        }
        return Results.inOrder(shards).thenApply(listed -> new ListGroupsResponseData()
                .setGroups(listed.stream().flatMap(List::stream).toList()));
    }

    private static Set<String> lowerCase(List<String> values) {
        return values == null ? Set.of() : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
