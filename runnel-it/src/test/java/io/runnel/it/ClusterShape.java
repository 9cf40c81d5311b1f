package io.runnel.it;

import java.util.List;

/**
 * The cluster a suite runs on. A suite written for one node runs on both shapes: three nodes replicate every topic,
 * {@code __consumer_offsets} included, to all three and refuse acks=all writes below two in-sync replicas, so a
 * feature that only works on the leader's copy fails there.
 */
public enum ClusterShape {
    ONE_NODE(1, List.of()),
    THREE_NODES(3, List.of(
            "default.replication.factor", "3",
            "offsets.topic.replication.factor", "3",
            "min.insync.replicas", "2"));

    private final int nodes;
    private final List<String> brokerProperties;

    ClusterShape(int nodes, List<String> brokerProperties) {
        this.nodes = nodes;
        this.brokerProperties = brokerProperties;
    }

    /** A builder for this shape; a suite adds its own broker properties. */
    public RunnelCluster.Builder builder() {
        RunnelCluster.Builder builder = RunnelCluster.builder().nodes(nodes);
        for (int i = 0; i < brokerProperties.size(); i += 2) {
            builder.brokerProperty(brokerProperties.get(i), brokerProperties.get(i + 1));
        }
        return builder;
    }

    /** The replication factor of a topic created with the broker's default. */
    public short replicationFactor() {
        return (short) nodes;
    }
}
