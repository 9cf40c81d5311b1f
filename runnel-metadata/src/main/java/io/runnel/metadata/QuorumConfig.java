package io.runnel.metadata;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * One node's view of the metadata quorum; the Ratis storage lives in {@code metadataDir/__cluster_metadata-0}.
 * {@code brokerSessionTimeoutMs} is {@code broker.session.timeout.ms}. A node that is not among the voters follows
 * the log as a non-voting Ratis listener (an observer, in Kafka's terms) at {@code observerAddress}; voters
 * pass null.
 */
public record QuorumConfig(int nodeId, String clusterId, Map<Integer, InetSocketAddress> voters, Path metadataDir,
                           int defaultNumPartitions, short defaultReplicationFactor, long snapshotEveryEntries,
                           long brokerSessionTimeoutMs, InetSocketAddress observerAddress) {
    public QuorumConfig {
        voters = Map.copyOf(voters);
    }
}
