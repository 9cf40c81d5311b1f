package io.runnel.broker.handlers;

import io.runnel.broker.group.CommittedOffset;
import io.runnel.broker.group.Group;
import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.group.GroupShard;
import io.runnel.broker.protocol.ApiHandler;
import io.runnel.broker.protocol.InternalTopics;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.security.Authorization;
import io.runnel.broker.txn.TransactionVerifier;
import io.runnel.storage.VerificationGuard;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * TxnOffsetCommit (KIP-98, KIP-447): offsets a transactional producer commits for a group within its transaction
 * (after AddOffsetsToTxn). The group validates the committer as an OffsetCommit (v3+ carry generation, member id and
 * group instance id: ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID; a consumer group's stale member epoch
 * is ILLEGAL_GENERATION before v6), then the valid partitions' offsets are written to the group's partition as one
 * transactional batch of the producer (an older producer epoch is INVALID_PRODUCER_EPOCH) and answered once
 * committed. They stay pending, invisible to OffsetFetch, until the transaction's marker applies or drops them.
 * Per-partition errors as {@link CommitPartitions} checks them (topics by id from v6). Before the write, the
 * transaction coordinator confirms the transaction has the group's {@code __consumer_offsets} partition (from v5,
 * transaction protocol v2, adds it): see {@link TransactionVerifier}.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {
    /** TxnOffsetCommit v6 (KIP-1319) names topics by id and answers GROUP_ID_NOT_FOUND and STALE_MEMBER_EPOCH. */
    private static final short FIRST_VERSION_WITH_TOPIC_IDS = 6;
    /** TxnOffsetCommit v5+ means transaction protocol v2: no AddOffsetsToTxn came first (KIP-890). */
    private static final short FIRST_VERSION_OF_TRANSACTION_V2 = 5;

    private final GroupCoordinator coordinator;
    private final ReplicaManager replicas;
    private final TransactionVerifier verifier;
    private final Authorization authorization;

    /** @param verifier null when transaction.partition.verification.enable is false */
    public TxnOffsetCommitHandler(GroupCoordinator coordinator, ReplicaManager replicas, TransactionVerifier verifier,
                                  Authorization authorization) {
        this.authorization = authorization;
        this.coordinator = coordinator;
        this.replicas = replicas;
        this.verifier = verifier;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext ctx, ApiMessage message) {
        TxnOffsetCommitRequestData request = (TxnOffsetCommitRequestData) message;
        authorization.requireOnTransactionalId(ctx, AclOperation.WRITE, request.transactionalId());
        authorization.requireOnGroup(ctx, AclOperation.READ, request.groupId());
        boolean byId = ctx.apiVersion() >= FIRST_VERSION_WITH_TOPIC_IDS;
        CommitPartitions<TxnOffsetCommitRequestPartition> partitions = new CommitPartitions<>(replicas.image(), byId,
                coordinator.config().offsetMetadataMaxBytes(), System.currentTimeMillis(),
                topic -> authorization.allowed(ctx, AclOperation.READ, ResourceType.TOPIC, topic));
        request.topics().forEach(t -> t.partitions().forEach(p -> partitions.add(t.name(), t.topicId(), p,
                p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata())));
        VerificationGuard guard = verificationGuard(request);
        return verified(request, ctx.apiVersion(), guard).thenCompose(error -> error == Errors.NONE
                ? commit(request, ctx.apiVersion(), partitions.commits(), guard)
                : CompletableFuture.completedFuture(error)).thenApply(groupError -> {
            Map<TxnOffsetCommitRequestPartition, Errors> errors = partitions.errors(groupError);
            TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
            for (TxnOffsetCommitRequestTopic topic : request.topics()) {
                TxnOffsetCommitResponseTopic topicResponse = byId
                        ? new TxnOffsetCommitResponseTopic().setTopicId(topic.topicId())
                        : new TxnOffsetCommitResponseTopic().setName(topic.name());
                topic.partitions().forEach(p -> topicResponse.partitions().add(new TxnOffsetCommitResponsePartition()
                        .setPartitionIndex(p.partitionIndex()).setErrorCode(errors.get(p).code())));
                response.topics().add(topicResponse);
            }
            return response;
        });
    }

    /**
     * What the group's offsets partition hands out as its verification of the producer's transaction starts (the
     * commit must present it, so that a transaction ended meanwhile is not written into); null when transactions
     * are not verified, the producer is malformed, or this broker does not lead the partition (the commit fails).
     */
    private VerificationGuard verificationGuard(TxnOffsetCommitRequestData request) {
        if (verifier == null || request.producerId() < 0 || request.producerEpoch() < 0) {
            return null;
        }
        try {
            return replicas.leaderPartition(offsetsPartition(request.groupId()))
                    .startTransactionVerification(request.producerId(), request.producerEpoch());
        } catch (ApiException e) {
            return null;
        }
    }

    private TopicPartition offsetsPartition(String groupId) {
        return new TopicPartition(InternalTopics.CONSUMER_OFFSETS, coordinator.partitionFor(groupId));
    }

    /**
     * NONE once the transaction has the group's offsets partition (a malformed producer fails in the commit); at once
     * when the partition knows the transaction open ({@link VerificationGuard#OPEN_TRANSACTION}).
     */
    private CompletableFuture<Errors> verified(TxnOffsetCommitRequestData request, short version,
                                               VerificationGuard guard) {
        if (guard == null || guard == VerificationGuard.OPEN_TRANSACTION) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        TopicPartition offsets = offsetsPartition(request.groupId());
        return verifier.verify(request.transactionalId(), request.producerId(), request.producerEpoch(),
                Set.of(offsets), version >= FIRST_VERSION_OF_TRANSACTION_V2)
                .thenApply(errors -> TransactionVerifier.forOffsetCommit(errors.get(offsets)));
    }

    /** The error of the whole request, once known: NONE once the offsets are committed to the log as pending. */
    private CompletableFuture<Errors> commit(TxnOffsetCommitRequestData request, short version,
                                             Map<TopicPartition, CommittedOffset> commits, VerificationGuard guard) {
        String groupId = request.groupId();
        try {
            if (request.producerId() < 0) {
                throw new InvalidPidMappingException("Producer id " + request.producerId() + " is not a producer's");
            }
            if (request.producerEpoch() < 0) {
                throw new InvalidProducerEpochException("Producer epoch " + request.producerEpoch() + " is invalid");
            }
            GroupShard shard = coordinator.shardFor(groupId);
            synchronized (shard) {
                validate(shard.group(groupId), request, version);
                return shard.commitTransactionalOffsets(groupId, request.producerId(), request.producerEpoch(), commits,
                                guard)
                        .handle((written, error) -> error == null ? Errors.NONE : Errors.forException(error));
            }
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(Errors.forException(e));
        }
    }

    /** As Kafka: an unknown group takes commits without generation only; errors named as the version knows them. */
    private static void validate(Group group, TxnOffsetCommitRequestData request, short version) {
        boolean v6 = version >= FIRST_VERSION_WITH_TOPIC_IDS;
        if (group == null) {
            if (request.generationIdOrMemberEpoch() >= 0) {
                String reason = "Group " + request.groupId() + " has no generation " + request.generationIdOrMemberEpoch();
                throw v6 ? new GroupIdNotFoundException(reason) : new IllegalGenerationException(reason);
            }
            return;
        }
        try {
            group.validateTransactionalOffsetCommit(request.memberId(), request.groupInstanceId(),
                    request.generationIdOrMemberEpoch());
        } catch (StaleMemberEpochException e) {
            if (v6) {
                throw e;
            }
            throw new IllegalGenerationException(e.getMessage());
        }
    }
}
