package io.runnel.broker.replica;

import io.runnel.storage.EpochEndOffset;
import io.runnel.storage.PartitionLog;

import java.util.Optional;

/** Kafka's leader-epoch rules for where a follower's log parts from its leader's (KIP-101, KIP-595's fetch). */
public final class LogDivergence {
    private LogDivergence() {
    }

    /**
     * The leader's check of a follower's fetch: the end of {@code lastFetchedEpoch} in the leader's log, when the
     * follower's log runs past it or has an epoch the leader's does not; empty when the logs agree.
     */
    public static Optional<EpochEndOffset> divergingEpoch(PartitionLog leaderLog, int lastFetchedEpoch,
                                                          long fetchOffset) {
        Optional<EpochEndOffset> end = leaderLog.endOffsetForEpoch(lastFetchedEpoch);
        if (end.isEmpty()) {
            return Optional.empty();
        }
        EpochEndOffset e = end.get();
        return e.epoch() < lastFetchedEpoch || e.endOffset() < fetchOffset ? end : Optional.empty();
    }

    /**
     * Where a follower told that its log diverges after {@code epoch} (which ends at {@code endOffset} in the
     * leader's log) truncates: the smaller of that and where the epoch ends in its own log. If its log has no such
     * epoch, the next fetch names an older one and may truncate further; without any, its high watermark is the
     * safe point.
     */
    static long truncationOffset(PartitionLog followerLog, int epoch, long endOffset) {
        return followerLog.endOffsetForEpoch(epoch)
                .map(local -> Math.min(local.endOffset(), endOffset))
                .orElse(Math.min(followerLog.highWatermark(), endOffset));
    }
}
