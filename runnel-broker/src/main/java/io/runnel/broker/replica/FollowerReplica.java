package io.runnel.broker.replica;

/**
 * What a partition's leader knows of one follower, from its fetches: its log end offset (-1 until it fetches from
 * this leader in this epoch), when it last caught up (a new leader counts its ISR members as caught up at once,
 * the others never), and its broker epoch. Kafka's rule for catching up: a fetch at or beyond the leader's log end
 * as of the previous fetch means the follower was caught up at that time.
 */
final class FollowerReplica {
    final int brokerId;
    private long logEndOffset = -1;
    private long lastCaughtUpTimeMs;
    private long lastFetchTimeMs;
    private long lastFetchLeaderLogEndOffset = -1;
    private long brokerEpoch = -1;

    FollowerReplica(int brokerId, long lastCaughtUpTimeMs) {
        this.brokerId = brokerId;
        this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
    }

    synchronized void onFetch(long fetchOffset, long leaderLogEndOffset, long brokerEpoch, long nowMs) {
        if (fetchOffset >= leaderLogEndOffset) {
            lastCaughtUpTimeMs = nowMs;
        } else if (fetchOffset >= lastFetchLeaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        lastFetchTimeMs = nowMs;
        this.brokerEpoch = brokerEpoch;
    }

    synchronized long logEndOffset() {
        return logEndOffset;
    }

    synchronized long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }

    synchronized long brokerEpoch() {
        return brokerEpoch;
    }

    /** Kafka's test: at the leader's log end, or caught up within replica.lag.time.max.ms. */
    synchronized boolean isCaughtUp(long leaderLogEndOffset, long nowMs, long lagTimeMaxMs) {
        return logEndOffset == leaderLogEndOffset || nowMs - lastCaughtUpTimeMs <= lagTimeMaxMs;
    }
}
