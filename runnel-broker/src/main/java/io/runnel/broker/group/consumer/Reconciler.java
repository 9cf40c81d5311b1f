package io.runnel.broker.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.function.BiPredicate;

/**
 * Moves one member towards its target assignment without ever letting two members own a partition: partitions leaving
 * the member are revoked first (the member keeps its epoch until it reports them gone), and a partition joins the
 * member only once no other member owns it.
 */
public final class Reconciler {
    private Reconciler() {
    }

    /**
     * @param current the member's state before this heartbeat
     * @param targetEpoch the epoch of the group's target assignment
     * @param target the member's target assignment
     * @param reported the partitions the member reported owning in this heartbeat, or null if it did not say
     * @param ownedByOther whether another member still owns a partition
     */
    public static MemberAssignment reconcile(MemberAssignment current, int targetEpoch, Assignment target,
                                             Assignment reported, BiPredicate<Uuid, Integer> ownedByOther) {
        if (current.state() == MemberState.UNREVOKED_PARTITIONS) {
            boolean revoked = reported != null && reported.intersect(current.pendingRevocation()).isEmpty();
            return revoked ? next(current.epoch(), current.assigned(), targetEpoch, target, ownedByOther) : current;
        }
        if (current.state() == MemberState.STABLE && current.epoch() == targetEpoch) {
            return current;
        }
        return next(current.epoch(), current.assigned(), targetEpoch, target, ownedByOther);
    }

    private static MemberAssignment next(int epoch, Assignment assigned, int targetEpoch, Assignment target,
                                         BiPredicate<Uuid, Integer> ownedByOther) {
        Assignment kept = assigned.intersect(target);
        Assignment toRevoke = assigned.minus(target);
        if (!toRevoke.isEmpty()) {
            return new MemberAssignment(epoch, MemberState.UNREVOKED_PARTITIONS, kept, toRevoke);
        }
        Assignment toAdd = target.minus(assigned);
        Assignment unreleased = toAdd.filter(ownedByOther);
        return new MemberAssignment(targetEpoch,
                unreleased.isEmpty() ? MemberState.STABLE : MemberState.UNRELEASED_PARTITIONS,
                kept.union(toAdd.minus(unreleased)), Assignment.EMPTY);
    }
}
