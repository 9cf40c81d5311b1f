package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.quota.ControllerMutations;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreatePartitionsSpec;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.TopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CreatePartitions (validate-only too): partitions can only be added, as in Kafka; the partitions added count against
 * the client's controller mutation quota.
 */
public final class CreatePartitionsHandler implements ApiHandler {
    /** CreatePartitions v3 clients know THROTTLING_QUOTA_EXCEEDED (KIP-599). */
    private static final short FIRST_STRICT_VERSION = 3;

    private final Controller controller;
    private final ReplicaManager replicas;
    private final Authorization authorization;
    private final ControllerMutations mutations;

    public CreatePartitionsHandler(Controller controller, ReplicaManager replicas, Authorization authorization,
                                   ControllerMutations mutations) {
        this.authorization = authorization;
        this.controller = controller;
        this.replicas = replicas;
        this.mutations = mutations;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        CreatePartitionsRequestData request = (CreatePartitionsRequestData) message;
        // Kafka: ALTER on each topic.
        CreatePartitionsResponseData denied = new CreatePartitionsResponseData();
        request.topics().stream()
                .filter(t -> !authorization.allowed(ctx, AclOperation.ALTER, ResourceType.TOPIC, t.name()))
                .forEach(t -> denied.results().add(new CreatePartitionsTopicResult().setName(t.name())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage("Authorization failed.")));
        ControllerMutations.Request quota = request.validateOnly() ? ControllerMutations.UNLIMITED
                : mutations.request(ctx.principal().getName(), ctx.clientId(), ctx.apiVersion() >= FIRST_STRICT_VERSION);
        Map<String, Integer> counted = new HashMap<>();
        List<CreatePartitionsSpec> specs = new ArrayList<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : request.topics()) {
            if (denied.results().stream().anyMatch(r -> r.name().equals(t.name()))) {
                continue;
            }
            TopicImage current = replicas.image().topicsByName().get(t.name());
            int added = current == null ? 0 : Math.max(0, t.count() - current.partitions().size());
            if (!quota.tryTake(added)) {
                denied.results().add(new CreatePartitionsTopicResult().setName(t.name())
                        .setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                        .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message()));
                continue;
            }
            counted.put(t.name(), added);
            specs.add(new CreatePartitionsSpec(t.name(), t.count(), t.assignments() == null ? null
                    : t.assignments().stream().map(CreatePartitionsRequestData.CreatePartitionsAssignment::brokerIds).toList()));
        }
        if (specs.isEmpty()) {
            return CompletableFuture.completedFuture(denied.setThrottleTimeMs(MutationThrottle.of(ctx, quota)));
        }
        // Answered once this broker has taken its roles in the new partitions, so that its metadata lists them.
        return controller.createPartitions(specs, request.validateOnly()).thenCompose(results ->
                replicas.awaitApplied(request.timeoutMs()).thenApply(applied -> results)).thenApply(results -> {
            CreatePartitionsResponseData response = denied;
            for (TopicResult result : results) {
                if (result.error() != Errors.NONE) {
                    quota.giveBack(counted.getOrDefault(result.name(), 0));
                }
                response.results().add(new CreatePartitionsTopicResult()
                        .setName(result.name())
                        .setErrorCode(result.error().code())
                        .setErrorMessage(result.error() == Errors.NONE ? null : result.message()));
            }
            return response.setThrottleTimeMs(MutationThrottle.of(ctx, quota));
        });
    }

}
