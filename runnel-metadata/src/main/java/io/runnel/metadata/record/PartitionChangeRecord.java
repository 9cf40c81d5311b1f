package io.runnel.metadata.record;

import java.util.Arrays;
import org.apache.kafka.common.Uuid;

/**
 * A change to an existing partition: null arrays and {@link #NO_LEADER_CHANGE} leave that part as it is.
 * {@code addingReplicas} and {@code removingReplicas} set a reassignment's sets (empty arrays end it); {@code elr} and
 * {@code lastKnownElr} the eligible leader replicas and the last known leader (KIP-966).
 * Applying bumps the partition epoch, and the leader epoch when the leader changes.
 */
public record PartitionChangeRecord(Uuid topicId, int partition, int[] replicas, int[] isr, int leader,
                                    int[] addingReplicas, int[] removingReplicas, int[] elr, int[] lastKnownElr)
        implements MetadataRecord {
    public static final int NO_LEADER_CHANGE = -2;

    /** A change that leaves any reassignment and the eligible leader replicas as they are. */
    public PartitionChangeRecord(Uuid topicId, int partition, int[] replicas, int[] isr, int leader) {
        this(topicId, partition, replicas, isr, leader, null, null);
    }

    /** A change that leaves the eligible leader replicas as they are. */
    public PartitionChangeRecord(Uuid topicId, int partition, int[] replicas, int[] isr, int leader,
                                 int[] addingReplicas, int[] removingReplicas) {
        this(topicId, partition, replicas, isr, leader, addingReplicas, removingReplicas, null, null);
    }

    /** Whether the change sets a reassignment's adding or removing replicas. */
    public boolean changesReassignment() {
        return addingReplicas != null || removingReplicas != null;
    }

    /** Whether the change sets the eligible leader replicas or the last known leader. */
    public boolean changesElr() {
        return elr != null || lastKnownElr != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionChangeRecord r && topicId.equals(r.topicId) && partition == r.partition
                && leader == r.leader && Arrays.equals(replicas, r.replicas) && Arrays.equals(isr, r.isr)
                && Arrays.equals(addingReplicas, r.addingReplicas) && Arrays.equals(removingReplicas, r.removingReplicas)
                && Arrays.equals(elr, r.elr) && Arrays.equals(lastKnownElr, r.lastKnownElr);
    }

    @Override
    public int hashCode() {
        return (topicId.hashCode() * 31 + partition) * 31 + leader;
    }

    @Override
    public String toString() {
        return "PartitionChangeRecord[topicId=" + topicId + ", partition=" + partition + ", replicas="
                + Arrays.toString(replicas) + ", isr=" + Arrays.toString(isr) + ", leader=" + leader
                + (changesReassignment() ? ", adding=" + Arrays.toString(addingReplicas) + ", removing="
                + Arrays.toString(removingReplicas) : "") + (changesElr() ? ", elr=" + Arrays.toString(elr)
                + ", lastKnownElr=" + Arrays.toString(lastKnownElr) : "") + "]";
    }
}
