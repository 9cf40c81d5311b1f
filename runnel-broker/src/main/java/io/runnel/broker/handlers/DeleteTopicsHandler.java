package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.quota.ControllerMutations;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.Controller;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.TopicResult;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics by name (all versions) or by topic id (v6+); the logs go when the broker applies the removal. With
 * {@code delete.topic.enable=false} every topic is refused: TOPIC_DELETION_DISABLED from v3, which introduced that
 * code, INVALID_REQUEST before (as Kafka answers).
 */
public final class DeleteTopicsHandler implements ApiHandler {
    /** DeleteTopics v3 is the first whose clients know TOPIC_DELETION_DISABLED. */
    private static final short FIRST_VERSION_WITH_DELETION_DISABLED = 3;
    /** DeleteTopics v5 clients know THROTTLING_QUOTA_EXCEEDED (KIP-599). */
    private static final short FIRST_STRICT_VERSION = 5;

    private final Controller controller;
    private final boolean deletionEnabled;
    private final ReplicaManager replicas;
    private final Authorization authorization;
    private final ControllerMutations mutations;

    public DeleteTopicsHandler(Controller controller, boolean deletionEnabled, ReplicaManager replicas,
                               Authorization authorization, ControllerMutations mutations) {
        this.authorization = authorization;
        this.replicas = replicas;
        this.controller = controller;
        this.deletionEnabled = deletionEnabled;
        this.mutations = mutations;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DeleteTopicsRequestData request = (DeleteTopicsRequestData) message;
        List<String> names = new ArrayList<>();
        List<Uuid> ids = new ArrayList<>();
        // Kafka: DELETE on each topic; a topic named by id keeps its name hidden when refused.
        DeleteTopicsResponseData denied = new DeleteTopicsResponseData();
        request.topicNames().forEach(name -> addAllowed(ctx, name, null, names, ids, denied));
        for (DeleteTopicsRequestData.DeleteTopicState state : request.topics()) {
            addAllowed(ctx, state.name(), state.topicId(), names, ids, denied);
        }
        if (!deletionEnabled) {
            if (ctx.apiVersion() < FIRST_VERSION_WITH_DELETION_DISABLED) {
                throw new InvalidRequestException("Topic deletion is disabled (delete.topic.enable=false)");
            }
            return CompletableFuture.completedFuture(disabled(names, ids, denied));
        }
        ControllerMutations.Request quota = mutations.request(ctx.principal().getName(), ctx.clientId(),
                ctx.apiVersion() >= FIRST_STRICT_VERSION);
        Map<String, Integer> counted = new HashMap<>();
        names.removeIf(name -> throttledDeletion(quota, name, null, counted, denied));
        ids.removeIf(id -> throttledDeletion(quota, null, id, counted, denied));
        if (names.isEmpty() && ids.isEmpty()) {
            return CompletableFuture.completedFuture(denied.setThrottleTimeMs(MutationThrottle.of(ctx, quota)));
        }
        // Answered once this broker has dropped its roles in the deleted topics, so that its metadata no longer lists them.
        return controller.deleteTopics(names, ids).thenCompose(results ->
                replicas.awaitApplied(request.timeoutMs()).thenApply(applied -> results)).thenApply(results -> {
            DeleteTopicsResponseData response = denied;
            for (TopicResult result : results) {
                if (result.error() != Errors.NONE) {
                    quota.giveBack(counted.getOrDefault(result.name(), 0));
                }
                DeletableTopicResult topic = new DeletableTopicResult()
                        .setName(result.name())
                        .setErrorCode(result.error().code())
                        .setErrorMessage(result.error() == Errors.NONE ? null : result.message());
                if (result.topicId() != null) {
                    topic.setTopicId(result.topicId());
                }
                response.responses().add(topic);
            }
            return response.setThrottleTimeMs(MutationThrottle.of(ctx, quota));
        });
    }

    /**
     * Counts the partitions of the topic to delete; true, with its THROTTLING_QUOTA_EXCEEDED in {@code denied}, when
     * the client is over its quota.
     */
    private boolean throttledDeletion(ControllerMutations.Request quota, String name, Uuid id,
                                      Map<String, Integer> counted, DeleteTopicsResponseData denied) {
        TopicImage topic = name != null ? replicas.image().topicsByName().get(name) : replicas.image().topicsById().get(id);
        int partitions = topic == null ? 0 : topic.partitions().size();
        if (quota.tryTake(partitions)) {
            if (topic != null) {
                counted.put(topic.name(), partitions);
            }
            return false;
        }
        denied.responses().add(new DeletableTopicResult().setName(name).setTopicId(id == null ? Uuid.ZERO_UUID : id)
                .setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message()));
        return true;
    }


    /** Adds the topic to those to delete if the principal may, else its refusal to {@code denied}. */
    private void addAllowed(RequestContext ctx, String name, Uuid id, List<String> names, List<Uuid> ids,
                            DeleteTopicsResponseData denied) {
        TopicImage byId = name == null ? replicas.image().topicsById().get(id) : null;
        String topic = name != null ? name : byId == null ? null : byId.name();
        if (topic != null && !authorization.allowed(ctx, AclOperation.DELETE, ResourceType.TOPIC, topic)) {
            denied.responses().add(new DeletableTopicResult().setName(name).setTopicId(id == null ? Uuid.ZERO_UUID : id)
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage("Authorization failed."));
        } else if (name != null) {
            names.add(name);
        } else {
            ids.add(id);
        }
    }

    /** {@code response} (the refused topics) with every other topic TOPIC_DELETION_DISABLED. */
    private static DeleteTopicsResponseData disabled(List<String> names, List<Uuid> ids,
                                                     DeleteTopicsResponseData response) {
        String why = "Topic deletion is disabled (delete.topic.enable=false)";
        for (String name : names) {
            response.responses().add(new DeletableTopicResult().setName(name)
                    .setErrorCode(Errors.TOPIC_DELETION_DISABLED.code()).setErrorMessage(why));
        }
        for (Uuid id : ids) {
            response.responses().add(new DeletableTopicResult().setName(null).setTopicId(id)
                    .setErrorCode(Errors.TOPIC_DELETION_DISABLED.code()).setErrorMessage(why));
        }
        return response;
    }
}
