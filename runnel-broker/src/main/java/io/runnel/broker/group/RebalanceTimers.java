package io.runnel.broker.group;

import io.netty.util.Timeout;

/**
 * The join and sync phase deadlines of a classic group's rebalance, with KIP-134's initial delay: the first rebalance
 * of an empty group waits group.initial.rebalance.delay.ms, again while new members keep arriving, within the
 * rebalance timeout. Timers fire through {@link GroupShard#schedule}, under the shard's lock like the group itself.
 */
final class RebalanceTimers {
    private final GroupShard shard;
    private Timeout joinTimer;
    private Timeout syncTimer;
    private boolean initialDelayPhase;
    private long initialDelayRemainingMs;
    private boolean newMemberAdded;

    RebalanceTimers(GroupShard shard) {
        this.shard = shard;
    }

    /**
     * Starts the join phase, replacing any join or sync deadline: a group leaving Empty waits the initial delay,
     * any other the largest rebalance timeout.
     */
    void startJoin(boolean fromEmpty, long rebalanceTimeoutMs, Runnable onTimeout) {
        cancelSync();
        cancel(joinTimer);
        int initialDelay = shard.config().initialRebalanceDelayMs();
        long delay;
        if (fromEmpty && initialDelay > 0) {
            initialDelayPhase = true;
            newMemberAdded = false;
            delay = Math.min(initialDelay, rebalanceTimeoutMs);
            initialDelayRemainingMs = Math.max(rebalanceTimeoutMs - initialDelay, 0);
        } else {
            initialDelayPhase = false;
            delay = rebalanceTimeoutMs;
        }
        joinTimer = shard.schedule(onTimeout, delay);
    }

    /** In the initial delay the join phase waits for its timer even when every member has joined. */
    boolean inInitialDelay() {
        return initialDelayPhase;
    }

    void memberAdded() {
        newMemberAdded = true;
    }

    /**
     * On the join deadline: if more members arrived during the initial delay, waits once more within the rebalance
     * timeout and returns true.
     */
    boolean extendInitialDelay(Runnable onTimeout) {
        if (!(initialDelayPhase && newMemberAdded && initialDelayRemainingMs > 0)) {
            return false;
        }
        newMemberAdded = false;
        long delay = Math.min(shard.config().initialRebalanceDelayMs(), initialDelayRemainingMs);
        initialDelayRemainingMs = Math.max(initialDelayRemainingMs - delay, 0);
        joinTimer = shard.schedule(onTimeout, delay);
        return true;
    }

    void endJoin() {
        cancel(joinTimer);
        joinTimer = null;
        initialDelayPhase = false;
    }

    void startSync(long rebalanceTimeoutMs, Runnable onTimeout) {
        syncTimer = shard.schedule(onTimeout, rebalanceTimeoutMs);
    }

    void cancelSync() {
        cancel(syncTimer);
        syncTimer = null;
    }

    void cancelAll() {
        cancel(joinTimer);
        cancel(syncTimer);
    }

    private static void cancel(Timeout timeout) {
        if (timeout != null) {
            timeout.cancel();
        }
    }
}
