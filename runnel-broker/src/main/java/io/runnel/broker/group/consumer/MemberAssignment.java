package io.runnel.broker.group.consumer;

/**
 * A member's reconciliation state: its epoch, the partitions it may use ({@code assigned}) and those it must revoke
 * before moving to the target epoch ({@code pendingRevocation}); it owns both sets until it reports the revocation.
 */
public record MemberAssignment(int epoch, MemberState state, Assignment assigned, Assignment pendingRevocation) {
    public static final MemberAssignment JOINING =
            new MemberAssignment(0, MemberState.STABLE, Assignment.EMPTY, Assignment.EMPTY);

    /** Every partition the member may still be consuming. */
    public Assignment owned() {
        return assigned.union(pendingRevocation);
    }
}
