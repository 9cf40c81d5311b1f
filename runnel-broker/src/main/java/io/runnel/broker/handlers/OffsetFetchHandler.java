package io.runnel.broker.handlers;

import io.runnel.broker.group.CommittedOffset;
import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetFetch: committed offsets of the named partitions (null topics = all), -1 where none; v8+ asks for several
 * groups at once, v10+ names topics by id. An unknown group has no offsets (not an error, as in Kafka). With
 * require_stable (v7+, a read_committed consumer's), a partition with an offset committed in a still open transaction
 * answers UNSTABLE_OFFSET_COMMIT (the client retries); without it, the last committed offset.
 */
public final class OffsetFetchHandler implements ApiHandler {
    /** OffsetFetch v8 (KIP-709) batches groups; v10 names topics by id. */
    private static final short FIRST_BATCHED_VERSION = 8;
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 10;

    private final GroupCoordinator coordinator;
    private final ReplicaManager replicas;
    private final Authorization authorization;

    public OffsetFetchHandler(GroupCoordinator coordinator, ReplicaManager replicas, Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        OffsetFetchRequestData request = (OffsetFetchRequestData) message;
        boolean byId = ctx.apiVersion() >= FIRST_VERSION_WITH_TOPIC_IDS;
        MetadataImage image = replicas.image();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (ctx.apiVersion() >= FIRST_BATCHED_VERSION) {
            for (OffsetFetchRequestGroup group : request.groups()) {
                response.groups().add(fetch(ctx, group, request.requireStable(), byId, image));
            }
            return CompletableFuture.completedFuture(response);
        }
        List<OffsetFetchRequestTopics> topics = null;
        if (request.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : request.topics()) {
                topics.add(new OffsetFetchRequestTopics().setName(t.name()).setPartitionIndexes(t.partitionIndexes()));
            }
        }
        OffsetFetchResponseGroup group = fetch(ctx, new OffsetFetchRequestGroup().setGroupId(request.groupId())
                .setMemberId(null).setMemberEpoch(-1).setTopics(topics), request.requireStable(), false, image);
        response.setErrorCode(group.errorCode());
        for (OffsetFetchResponseTopics t : group.topics()) {
            OffsetFetchResponseTopic topic = new OffsetFetchResponseTopic().setName(t.name());
            for (OffsetFetchResponsePartitions p : t.partitions()) {
                topic.partitions().add(new OffsetFetchResponsePartition()
                        .setPartitionIndex(p.partitionIndex())
                        .setCommittedOffset(p.committedOffset())
                        .setCommittedLeaderEpoch(p.committedLeaderEpoch())
                        .setMetadata(p.metadata())
                        .setErrorCode(p.errorCode() != 0 ? p.errorCode() : group.errorCode()));
            }
            response.topics().add(topic);
        }
        return CompletableFuture.completedFuture(response);
    }

    private OffsetFetchResponseGroup fetch(RequestContext ctx, OffsetFetchRequestGroup request, boolean requireStable,
                                           boolean byId, MetadataImage image) {
        OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(request.groupId());
        // Kafka: the group needs DESCRIBE; each topic DESCRIBE too, the others omitted from an all-topics answer.
        if (!authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.GROUP, request.groupId())) {
            return response.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code());
        }
        Map<TopicPartition, CommittedOffset> committed;
        Set<TopicPartition> unstable = new HashSet<>();
        try {
            GroupShard shard = coordinator.shardFor(request.groupId());
            synchronized (shard) {
                Group group = shard.group(request.groupId());
                if (group != null && request.memberId() != null) {
                    group.validateOffsetFetch(request.memberId(), request.memberEpoch());
                }
                committed = new LinkedHashMap<>(shard.committedOffsets(request.groupId()));
                if (requireStable) {
                    unstable.addAll(shard.pendingOffsets(request.groupId()));
                }
            }
        } catch (ApiException e) {
            return response.setErrorCode(Errors.forException(e).code());
        }
        if (request.topics() == null) {
            Map<String, OffsetFetchResponseTopics> byTopic = new LinkedHashMap<>();
            committed.forEach((tp, offset) -> {
                TopicImage topic = image.topicsByName().get(tp.topic());
                if (byId && topic == null || !describeAllowed(ctx, tp.topic())) {
                    return;
                }
                byTopic.computeIfAbsent(tp.topic(), name -> topicResponse(name, topic, byId))
                        .partitions().add(unstable.contains(tp) ? unstable(tp.partition())
                                : partition(tp.partition(), offset));
            });
            response.topics().addAll(byTopic.values());
            return response;
        }
        for (OffsetFetchRequestTopics t : request.topics()) {
            TopicImage topic = byId ? image.topicsById().get(t.topicId()) : image.topicsByName().get(t.name());
            OffsetFetchResponseTopics topicResponse = byId
                    ? new OffsetFetchResponseTopics().setTopicId(t.topicId())
                    : new OffsetFetchResponseTopics().setName(t.name());
            for (int index : t.partitionIndexes()) {
                if (byId && topic == null) {
                    topicResponse.partitions().add(partition(index, null).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                    continue;
                }
                TopicPartition tp = new TopicPartition(byId ? topic.name() : t.name(), index);
                if (!describeAllowed(ctx, tp.topic())) {
                    topicResponse.partitions().add(partition(index, null)
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                    continue;
                }
                topicResponse.partitions().add(unstable.contains(tp) ? unstable(index) : partition(index, committed.get(tp)));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private boolean describeAllowed(RequestContext ctx, String topic) {
        return authorization.allowed(ctx, AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }

    private static OffsetFetchResponseTopics topicResponse(String name, TopicImage topic, boolean byId) {
        return byId ? new OffsetFetchResponseTopics().setTopicId(topic == null ? Uuid.ZERO_UUID : topic.id())
                : new OffsetFetchResponseTopics().setName(name);
    }

    private static OffsetFetchResponsePartitions unstable(int index) {
        return partition(index, null).setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code());
    }

    private static OffsetFetchResponsePartitions partition(int index, CommittedOffset offset) {
        OffsetFetchResponsePartitions partition = new OffsetFetchResponsePartitions().setPartitionIndex(index);
        if (offset == null) {
            return partition.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("");
        }
        return partition.setCommittedOffset(offset.offset()).setCommittedLeaderEpoch(offset.leaderEpoch())
                .setMetadata(offset.metadata());
    }
}
