package io.runnel.metadata;

/**
 * This member's view of the metadata quorum in the terms of Kafka's {@code raft-metrics}: the leader it knows (-1
 * during an election), the Raft term as the epoch, its role as Kafka names a KRaft member's state, the commit index
 * as the high watermark and the index of its last entry as its log end (the offsets DescribeQuorum reports).
 */
public record RaftStatus(int leaderId, long epoch, String state, long highWatermark, long logEndOffset) {
    /** Before the Raft server runs, or after it stopped. */
    public static final RaftStatus UNATTACHED = new RaftStatus(-1, 0, "unattached", 0, 0);
}
