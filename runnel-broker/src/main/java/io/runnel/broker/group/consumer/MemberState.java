package io.runnel.broker.group.consumer;

/** Where a member stands in reconciling its current assignment with its target one (KIP-848). */
public enum MemberState {
    /** The member owns its whole target assignment at the target epoch. */
    STABLE,
    /** The member must first give up partitions no longer in its target; it stays at its epoch until it has. */
    UNREVOKED_PARTITIONS,
    /** The member is at the target epoch but waits for partitions another member has not released yet. */
    UNRELEASED_PARTITIONS
}
