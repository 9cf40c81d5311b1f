package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.InternalTopics;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreateTopicSpec;
import io.runnel.metadata.Endpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * Metadata: brokers (their endpoints on the listener the client came in on), the cluster id, the
 * active controller and the requested topics; creates unknown topics when the client allows it and
 * {@code auto.create.topics.enable} is on. As Kafka authorizes it: a topic needs DESCRIBE to be listed (absent from
 * an all-topics answer, TOPIC_AUTHORIZATION_FAILED when named), and CREATE on the cluster or the topic to be
 * created (TOPIC_AUTHORIZATION_FAILED without it).
 */
public final class MetadataHandler implements ApiHandler {
    private final ReplicaManager replicas;
    /** Metadata v12 (KIP-516) is the first to look topics up by id. */
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 12;

    private final Controller controller;
    private final boolean autoCreateTopics;
    private final IntSupplier activeControllerId;
    private final Authorization authorization;

    public MetadataHandler(ReplicaManager replicas, Controller controller, boolean autoCreateTopics,
                           IntSupplier activeControllerId, Authorization authorization) {
        this.replicas = replicas;
        this.controller = controller;
        this.autoCreateTopics = autoCreateTopics;
        this.activeControllerId = activeControllerId;
        this.authorization = authorization;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        MetadataRequestData request = (MetadataRequestData) message;
        requireNamesBeforeTopicIds(request, ctx.apiVersion());
        // Leaders as this broker has taken its roles: a client is sent here only for partitions this broker serves.
        MetadataImage image = replicas.appliedImage();
        // Version 0 has no null topic list: there an empty list asks for every topic.
        if (request.topics() == null || (ctx.apiVersion() == 0 && request.topics().isEmpty())) {
            return CompletableFuture.completedFuture(respond(ctx, request, image, null, List.of(), List.of()));
        }
        List<String> toCreate = new ArrayList<>();
        List<String> createDenied = new ArrayList<>();
        if (request.allowAutoTopicCreation() && autoCreateTopics) {
            boolean clusterCreate = authorization.allowedOnCluster(ctx, AclOperation.CREATE);
            for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
                if (t.name() != null && !replicas.image().topicsByName().containsKey(t.name()) && isValidName(t.name())
                        && !InternalTopics.isInternal(t.name()) && describeAllowed(ctx, t.name())) {
                    boolean allowed = clusterCreate
                            || authorization.allowed(ctx, AclOperation.CREATE, ResourceType.TOPIC, t.name());
                    (allowed ? toCreate : createDenied).add(t.name());
                }
            }
        }
        if (toCreate.isEmpty()) {
            return CompletableFuture.completedFuture(respond(ctx, request, image, request.topics(), List.of(),
                    createDenied));
        }
        List<CreateTopicSpec> specs = toCreate.stream()
                .map(name -> new CreateTopicSpec(name, -1, (short) -1, Map.of(), Map.of()))
                .toList();
        // The answer is built whatever the creation gave: a topic being created is LEADER_NOT_AVAILABLE and the client retries.
        return controller.createTopics(specs, false)
                .handle((results, error) -> respond(ctx, request, replicas.appliedImage(), request.topics(), toCreate,
                        createDenied));
    }

    /**
     * Versions 10 and 11 carry a topic id field and a nullable name, yet name topics in their responses: as Kafka, a
     * request there naming a topic by id (or not at all) is INVALID_REQUEST, answered for every topic.
     */
    private static void requireNamesBeforeTopicIds(MetadataRequestData request, short version) {
        if (version >= FIRST_VERSION_WITH_TOPIC_IDS || request.topics() == null) {
            return;
        }
        for (MetadataRequestData.MetadataRequestTopic t : request.topics()) {
            if (t.name() == null) {
                throw new InvalidRequestException("Topic name can not be null for version " + version);
            }
            if (!Uuid.ZERO_UUID.equals(t.topicId())) {
                throw new InvalidRequestException("Topic IDs are not supported in requests for version " + version);
            }
        }
    }

    private ApiMessage respond(RequestContext ctx, MetadataRequestData request, MetadataImage image,
                               List<MetadataRequestData.MetadataRequestTopic> requested, List<String> justCreated,
                               List<String> createDenied) {
        boolean withTopicOperations = request.includeTopicAuthorizedOperations();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(image.clusterId())
                .setControllerId(activeControllerId.getAsInt())
                .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations()
                        ? authorization.authorizedOperations(ctx, ResourceType.CLUSTER, Authorization.CLUSTER_NAME,
                                AuthorizedOperations.CLUSTER) : AuthorizedOperations.OMITTED);
        for (BrokerRegistration broker : image.brokers().values()) {
            if (broker.fenced()) {
                continue;
            }
            for (Endpoint endpoint : broker.endpoints()) {
                if (endpoint.listenerName().equals(ctx.listenerName())) {
                    response.brokers().add(new MetadataResponseBroker()
                            .setNodeId(broker.nodeId())
                            .setHost(endpoint.host())
                            .setPort(endpoint.port())
                            .setRack(broker.rack()));
                }
            }
        }
        if (requested == null) {
            for (TopicImage topic : image.topicsByName().values()) {
                if (describeAllowed(ctx, topic.name())) {
                    response.topics().add(describe(ctx, topic, withTopicOperations));
                }
            }
            return response;
        }
        for (MetadataRequestData.MetadataRequestTopic t : requested) {
            TopicImage topic = t.name() != null ? image.topicsByName().get(t.name()) : image.topicsById().get(t.topicId());
            String name = topic != null ? topic.name() : t.name();
            if (name != null && !describeAllowed(ctx, name) || createDenied.contains(name)) {
                response.topics().add(error(t, Errors.TOPIC_AUTHORIZATION_FAILED));
            } else if (topic != null) {
                response.topics().add(describe(ctx, topic, withTopicOperations));
            } else {
                response.topics().add(unknown(t, justCreated));
            }
        }
        return response;
    }

    private boolean describeAllowed(RequestContext ctx, String topic) {
        return authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }

    private MetadataResponseTopic unknown(MetadataRequestData.MetadataRequestTopic t, List<String> justCreated) {
        Errors error;
        if (t.name() == null) {
            error = Errors.UNKNOWN_TOPIC_ID;
        } else if (!isValidName(t.name())) {
            error = Errors.INVALID_TOPIC_EXCEPTION;
        } else if (justCreated.contains(t.name())) {
            error = Errors.LEADER_NOT_AVAILABLE;
        } else {
            error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        return error(t, error);
    }

    /** The topic as the client named it (by name or by id only, so that a denied id does not reveal a name). */
    private static MetadataResponseTopic error(MetadataRequestData.MetadataRequestTopic t, Errors error) {
        return new MetadataResponseTopic()
                .setErrorCode(error.code())
                .setName(t.name())
                .setTopicId(t.topicId() == null ? Uuid.ZERO_UUID : t.topicId())
                .setIsInternal(t.name() != null && InternalTopics.isInternal(t.name()))
                .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED);
    }

    private MetadataResponseTopic describe(RequestContext ctx, TopicImage topic, boolean withAuthorizedOperations) {
        MetadataResponseTopic response = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(InternalTopics.isInternal(topic.name()))
                .setTopicAuthorizedOperations(withAuthorizedOperations ? authorization.authorizedOperations(ctx,
                        ResourceType.TOPIC, topic.name(), AuthorizedOperations.TOPIC) : AuthorizedOperations.OMITTED);
        for (Map.Entry<Integer, PartitionRegistration> e : topic.partitions().entrySet()) {
            PartitionRegistration p = e.getValue();
            response.partitions().add(new MetadataResponsePartition()
                    .setPartitionIndex(e.getKey())
                    .setErrorCode((p.leader() < 0 ? Errors.LEADER_NOT_AVAILABLE : Errors.NONE).code())
                    .setLeaderId(p.leader())
                    .setLeaderEpoch(p.leaderEpoch())
                    .setReplicaNodes(Ints.toList(p.replicas()))
                    .setIsrNodes(Ints.toList(p.isr()))
                    .setOfflineReplicas(new ArrayList<>()));
        }
        return response;
    }

    static boolean isValidName(String name) {
        try {
            InternalTopics.validateName(name);
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }
}
