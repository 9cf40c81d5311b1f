package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreatePartitionsSpec;
import io.runnel.metadata.TopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** CreatePartitions (validate-only too): partitions can only be added, as in Kafka. */
public final class CreatePartitionsHandler implements ApiHandler {
    private final Controller controller;
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public CreatePartitionsHandler(Controller controller, ReplicaManager replicas, Authorization authorization) {
        this.authorization = authorization;
        this.controller = controller;
        this.replicas = replicas;
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
        List<CreatePartitionsSpec> specs = request.topics().stream()
                .filter(t -> denied.results().stream().noneMatch(r -> r.name().equals(t.name())))
                .map(t -> new CreatePartitionsSpec(t.name(), t.count(), t.assignments() == null ? null
                        : t.assignments().stream().map(CreatePartitionsRequestData.CreatePartitionsAssignment::brokerIds).toList()))
                .toList();
        if (specs.isEmpty()) {
            return CompletableFuture.completedFuture(denied);
        }
        // Answered once this broker has taken its roles in the new partitions, so that its metadata lists them.
        return controller.createPartitions(specs, request.validateOnly()).thenCompose(results ->
                replicas.awaitApplied(request.timeoutMs()).thenApply(applied -> results)).thenApply(results -> {
            CreatePartitionsResponseData response = denied;
            for (TopicResult result : results) {
                response.results().add(new CreatePartitionsTopicResult()
                        .setName(result.name())
                        .setErrorCode(result.error().code())
                        .setErrorMessage(result.error() == Errors.NONE ? null : result.message()));
            }
            return response;
        });
    }
}
