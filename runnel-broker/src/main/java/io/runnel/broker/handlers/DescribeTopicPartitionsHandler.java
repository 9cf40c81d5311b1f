package io.runnel.broker.handlers;

import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.InternalTopics;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeTopicPartitions (KIP-966), which Admin.describeTopics uses: topics in name order, paged by
 * {@code responsePartitionLimit} with a cursor (topic, partition) to resume from.
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public DescribeTopicPartitionsHandler(ReplicaManager replicas, Authorization authorization) {
        this.authorization = authorization;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        DescribeTopicPartitionsRequestData request = (DescribeTopicPartitionsRequestData) message;
        MetadataImage image = replicas.image();
        TreeMap<String, TopicImage> wanted = new TreeMap<>();
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        List<DescribeTopicPartitionsResponseTopic> unknown = new ArrayList<>();
        // Kafka: DESCRIBE on each topic; the others are left out of an all-topics answer, refused when named.
        if (request.topics().isEmpty()) {
            image.topicsByName().forEach((name, topic) -> {
                if (describeAllowed(ctx, name)) {
                    wanted.put(name, topic);
                }
            });
        } else {
            for (DescribeTopicPartitionsRequestData.TopicRequest t : request.topics()) {
                TopicImage topic = image.topicsByName().get(t.name());
                if (!describeAllowed(ctx, t.name())) {
                    unknown.add(new DescribeTopicPartitionsResponseTopic().setName(t.name()).setTopicId(Uuid.ZERO_UUID)
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED));
                } else if (topic != null) {
                    wanted.put(t.name(), topic);
                } else {
                    unknown.add(new DescribeTopicPartitionsResponseTopic()
                            .setName(t.name())
                            .setTopicId(Uuid.ZERO_UUID)
                            .setErrorCode((MetadataHandler.isValidName(t.name())
                                    ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.INVALID_TOPIC_EXCEPTION).code())
                            .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED));
                }
            }
        }
        DescribeTopicPartitionsRequestData.Cursor cursor = request.cursor();
        String firstTopic = cursor == null ? null : cursor.topicName();
        int firstPartition = cursor == null ? 0 : cursor.partitionIndex();
        int budget = request.responsePartitionLimit();
        for (TopicImage topic : (firstTopic == null ? wanted : wanted.tailMap(firstTopic, true)).values()) {
            int p = topic.name().equals(firstTopic) ? firstPartition : 0;
            if (budget == 0) {
                response.setNextCursor(cursor(topic.name(), p));
                break;
            }
            DescribeTopicPartitionsResponseTopic topicResponse = new DescribeTopicPartitionsResponseTopic()
                    .setName(topic.name())
                    .setTopicId(topic.id())
                    .setIsInternal(InternalTopics.isInternal(topic.name()))
                    // Always answered here (the request has no flag), as Kafka does.
                    .setTopicAuthorizedOperations(authorization.authorizedOperations(ctx, ResourceType.TOPIC,
                            topic.name(), AuthorizedOperations.TOPIC));
            for (; p < topic.partitions().size() && budget > 0; p++, budget--) {
                topicResponse.partitions().add(describe(p, topic.partitions().get(p)));
            }
            response.topics().add(topicResponse);
            if (p < topic.partitions().size()) {
                response.setNextCursor(cursor(topic.name(), p));
                break;
            }
        }
        unknown.forEach(response.topics()::add);
        return CompletableFuture.completedFuture(response);
    }

    private boolean describeAllowed(RequestContext ctx, String topic) {
        return authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }

    private static DescribeTopicPartitionsResponseData.Cursor cursor(String topic, int partition) {
        return new DescribeTopicPartitionsResponseData.Cursor().setTopicName(topic).setPartitionIndex(partition);
    }

    private static DescribeTopicPartitionsResponsePartition describe(int index, PartitionRegistration p) {
        return new DescribeTopicPartitionsResponsePartition()
                .setPartitionIndex(index)
                .setErrorCode((p.leader() < 0 ? Errors.LEADER_NOT_AVAILABLE : Errors.NONE).code())
                .setLeaderId(p.leader())
                .setLeaderEpoch(p.leaderEpoch())
                .setReplicaNodes(Ints.toList(p.replicas()))
                .setIsrNodes(Ints.toList(p.isr()))
                .setEligibleLeaderReplicas(Ints.toList(p.elr()))
                .setLastKnownElr(Ints.toList(p.lastKnownElr()))
                .setOfflineReplicas(new ArrayList<>());
    }
}
