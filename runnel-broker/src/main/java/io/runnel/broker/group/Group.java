package io.runnel.broker.group;

import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.errors.ApiException;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A group held by a {@link GroupShard}: a {@link ClassicGroup} (JoinGroup / SyncGroup protocol) or a KIP-848
 * {@code io.runnel.broker.group.consumer.ConsumerGroup}. Its committed offsets live in the shard, not here.
 *
 * <p>Contract for implementations: every method is called with the shard's monitor held
 * ({@code synchronized (shard)}), so implementations need no locking of their own; timers scheduled through
 * {@link GroupShard#schedule} and completions of the shard's writes run under the same monitor.
 */
public interface Group {
    String groupId();

    GroupType type();

    /** The state as ListGroups / DescribeGroups name it ("Empty", "Stable", ...). */
    String stateName();

    /** The protocol type ListGroups reports ("consumer" for consumer groups, "" for a group that only commits). */
    String protocolType();

    /** No members: its offsets may expire, the group may be deleted. */
    boolean isEmpty();

    /**
     * Throws the error Kafka gives an OffsetCommit from this member: generation id (classic) or member epoch
     * (consumer); -1 with an empty member id is an admin / simple commit.
     */
    void validateOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch) throws ApiException;

    /**
     * Throws the error Kafka gives a TxnOffsetCommit from this member: as {@link #validateOffsetCommit}, except where
     * a group type relaxes it for transactional commits (a STALE_MEMBER_EPOCH is answered as ILLEGAL_GENERATION by
     * the caller).
     */
    default void validateTransactionalOffsetCommit(String memberId, String groupInstanceId, int generationId)
            throws ApiException {
        validateOffsetCommit(memberId, groupInstanceId, generationId);
    }

    /** Throws the error Kafka gives an OffsetFetch naming this member (OffsetFetch v9+ carries member id / epoch). */
    default void validateOffsetFetch(String memberId, int memberEpoch) throws ApiException {
    }

    /**
     * When the group last became empty (epoch ms), or {@code Long.MIN_VALUE} if unknown: offsets of an empty group
     * expire offsets.retention.minutes after the later of this and their commit (Kafka's rule since KIP-211).
     */
    default long emptySinceMs() {
        return Long.MIN_VALUE;
    }

    /** True if a member consumes {@code topic} (OffsetDelete answers GROUP_SUBSCRIBED_TO_TOPIC then). */
    boolean isSubscribedTo(String topic);

    /** Keys of the records this group wrote (besides offsets), tombstoned when the group is deleted. */
    default List<ByteBuffer> tombstoneKeys() {
        return List.of();
    }

    /** The shard is unloaded (leadership moved) or the group deleted: cancel timers, fail parked requests. */
    default void onUnload() {
    }
}
