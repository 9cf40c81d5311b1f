package io.runnel.broker.handlers;

import io.runnel.broker.config.TopicConfigResolver;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.quota.ControllerMutations;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.TopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics (validate-only too): the controller validates, places and writes the topics; the
 * response carries, from v5, the partition count, replication factor and resolved configs.
 */
public final class CreateTopicsHandler implements ApiHandler {
    /** CreateTopics v5 added the created topic's settings to the response. */
    private static final short FIRST_VERSION_WITH_CONFIGS = 5;
    /** CreateTopics v6 clients know THROTTLING_QUOTA_EXCEEDED (KIP-599). */
    private static final short FIRST_STRICT_VERSION = 6;

    private final Controller controller;
    private final TopicConfigResolver configs;
    private final ReplicaManager replicas;
    private final Authorization authorization;
    private final ControllerMutations mutations;
    /** num.partitions: what a topic created without a partition count gets. */
    private final int defaultPartitions;

    public CreateTopicsHandler(Controller controller, TopicConfigResolver configs, ReplicaManager replicas,
                               Authorization authorization, ControllerMutations mutations, int defaultPartitions) {
        this.authorization = authorization;
        this.controller = controller;
        this.configs = configs;
        this.replicas = replicas;
        this.mutations = mutations;
        this.defaultPartitions = defaultPartitions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        CreateTopicsRequestData request = (CreateTopicsRequestData) message;
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        request.topics().forEach(t -> {
            if (!seen.add(t.name())) {
                duplicates.add(t.name());
            }
        });
        List<CreateTopicSpec> specs = new ArrayList<>();
        Map<String, Integer> counted = new HashMap<>();
        ControllerMutations.Request quota = request.validateOnly() ? ControllerMutations.UNLIMITED
                : mutations.request(ctx.principal().getName(), ctx.clientId(), ctx.apiVersion() >= FIRST_STRICT_VERSION);
        // Kafka: CREATE on the cluster, or on each topic.
        boolean clusterCreate = authorization.allowedOnCluster(ctx, AclOperation.CREATE);
        for (CreatableTopic topic : request.topics()) {
            if (duplicates.contains(topic.name())) {
                continue;
            }
            if (!clusterCreate && !authorization.allowed(ctx, AclOperation.CREATE, ResourceType.TOPIC, topic.name())) {
                response.topics().add(new CreatableTopicResult().setName(topic.name())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage("Authorization failed.").setNumPartitions(-1)
                        .setReplicationFactor((short) -1));
                continue;
            }
            Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
            topic.assignments().forEach(a -> assignments.put(a.partitionIndex(), a.brokerIds()));
            int partitions = topic.numPartitions() > 0 ? topic.numPartitions()
                    : assignments.isEmpty() ? defaultPartitions : assignments.size();
            if (!quota.tryTake(partitions)) {
                response.topics().add(new CreatableTopicResult().setName(topic.name())
                        .setErrorCode(Errors.THROTTLING_QUOTA_EXCEEDED.code())
                        .setErrorMessage(Errors.THROTTLING_QUOTA_EXCEEDED.message()).setNumPartitions(-1)
                        .setReplicationFactor((short) -1));
                continue;
            }
            counted.put(topic.name(), partitions);
            Map<String, String> topicConfigs = new HashMap<>();
            topic.configs().forEach(c -> topicConfigs.put(c.name(), c.value()));
            specs.add(new CreateTopicSpec(topic.name(), topic.numPartitions(), topic.replicationFactor(),
                    assignments, topicConfigs));
        }
        for (String name : duplicates) {
            response.topics().add(new CreatableTopicResult().setName(name)
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Topic " + name + " appears more than once in the request"));
        }
        if (specs.isEmpty()) {
            return CompletableFuture.completedFuture(response.setThrottleTimeMs(MutationThrottle.of(ctx, quota)));
        }
        // Answered once this broker has taken its roles in the new topics, so that it serves them at once.
        return controller.createTopics(specs, request.validateOnly())
                .thenCompose(results -> replicas.awaitApplied(request.timeoutMs()).thenApply(applied -> {
                    for (TopicResult result : results) {
                        if (result.error() != Errors.NONE) {
                            quota.giveBack(counted.getOrDefault(result.name(), 0));
                        }
                        response.topics().add(toResponse(ctx.apiVersion(), result));
                    }
                    return response.setThrottleTimeMs(MutationThrottle.of(ctx, quota));
                }));
    }


    private CreatableTopicResult toResponse(short version, TopicResult result) {
        CreatableTopicResult topic = new CreatableTopicResult()
                .setName(result.name())
                .setErrorCode(result.error().code())
                .setErrorMessage(result.error() == Errors.NONE ? null : result.message());
        if (result.topicId() != null) {
            topic.setTopicId(result.topicId());
        }
        if (version < FIRST_VERSION_WITH_CONFIGS) {
            return topic;
        }
        if (result.error() != Errors.NONE) {
            return topic.setNumPartitions(-1).setReplicationFactor((short) -1);
        }
        topic.setNumPartitions(result.numPartitions()).setReplicationFactor(result.replicationFactor());
        for (TopicConfigResolver.Entry entry : configs.resolveAll(result.configs())) {
            topic.configs().add(new CreatableTopicConfigs()
                    .setName(entry.name())
                    .setValue(entry.value())
                    .setConfigSource(entry.source().id)
                    .setReadOnly(false)
                    .setIsSensitive(false));
        }
        return topic;
    }
}
