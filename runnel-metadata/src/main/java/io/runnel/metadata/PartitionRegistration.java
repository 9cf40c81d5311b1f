package io.runnel.metadata;

import java.util.Arrays;
import java.util.Objects;

/** The replicas, ISR and leadership of one partition. Arrays are never mutated after construction. */
public record PartitionRegistration(int[] replicas, int[] isr, int leader, int leaderEpoch, int partitionEpoch) {

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionRegistration p && leader == p.leader && leaderEpoch == p.leaderEpoch
                && partitionEpoch == p.partitionEpoch && Arrays.equals(replicas, p.replicas) && Arrays.equals(isr, p.isr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(replicas), Arrays.hashCode(isr), leader, leaderEpoch, partitionEpoch);
    }

    @Override
    public String toString() {
        return "PartitionRegistration[replicas=" + Arrays.toString(replicas) + ", isr=" + Arrays.toString(isr)
                + ", leader=" + leader + ", leaderEpoch=" + leaderEpoch + ", partitionEpoch=" + partitionEpoch + "]";
    }
}
