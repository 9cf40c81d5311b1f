package io.runnel.metadata;

import java.util.Arrays;
import java.util.Objects;

/**
 * The replicas, ISR and leadership of one partition. During a reassignment (KIP-455) {@code replicas} is the target
 * followed by the replicas being removed, {@code addingReplicas} the target's new members and
 * {@code removingReplicas} those leaving; both are empty otherwise. {@code elr} holds the eligible leader replicas
 * (KIP-966: members that left the ISR while it was below min.insync.replicas, so they hold every committed record) and
 * {@code lastKnownElr} the last leader once the partition has lost its ISR. Arrays are never mutated after construction.
 */
public record PartitionRegistration(int[] replicas, int[] isr, int leader, int leaderEpoch, int partitionEpoch,
                                    int[] addingReplicas, int[] removingReplicas, int[] elr, int[] lastKnownElr) {
    private static final int[] NONE = new int[0];

    /** A partition with no reassignment in progress. */
    public PartitionRegistration(int[] replicas, int[] isr, int leader, int leaderEpoch, int partitionEpoch) {
        this(replicas, isr, leader, leaderEpoch, partitionEpoch, NONE, NONE);
    }

    /** A partition without eligible leader replicas. */
    public PartitionRegistration(int[] replicas, int[] isr, int leader, int leaderEpoch, int partitionEpoch,
                                 int[] addingReplicas, int[] removingReplicas) {
        this(replicas, isr, leader, leaderEpoch, partitionEpoch, addingReplicas, removingReplicas, NONE, NONE);
    }

    /** Whether the partition has eligible leader replicas or a last known leader. */
    public boolean hasElr() {
        return elr.length > 0 || lastKnownElr.length > 0;
    }

    public boolean reassigning() {
        return addingReplicas.length > 0 || removingReplicas.length > 0;
    }

    /** The replicas the partition is moving to: every replica but those being removed. */
    public int[] targetReplicas() {
        return Arrays.stream(replicas).filter(r -> Arrays.stream(removingReplicas).noneMatch(x -> x == r)).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionRegistration p && leader == p.leader && leaderEpoch == p.leaderEpoch
                && partitionEpoch == p.partitionEpoch && Arrays.equals(replicas, p.replicas) && Arrays.equals(isr, p.isr)
                && Arrays.equals(addingReplicas, p.addingReplicas) && Arrays.equals(removingReplicas, p.removingReplicas)
                && Arrays.equals(elr, p.elr) && Arrays.equals(lastKnownElr, p.lastKnownElr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(replicas), Arrays.hashCode(isr), leader, leaderEpoch, partitionEpoch);
    }

    @Override
    public String toString() {
        return "PartitionRegistration[replicas=" + Arrays.toString(replicas) + ", isr=" + Arrays.toString(isr)
                + ", leader=" + leader + ", leaderEpoch=" + leaderEpoch + ", partitionEpoch=" + partitionEpoch
                + (reassigning() ? ", adding=" + Arrays.toString(addingReplicas) + ", removing="
                + Arrays.toString(removingReplicas) : "") + (hasElr() ? ", elr=" + Arrays.toString(elr)
                + ", lastKnownElr=" + Arrays.toString(lastKnownElr) : "") + "]";
    }
}
