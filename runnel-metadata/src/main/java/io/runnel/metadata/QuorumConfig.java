package io.runnel.metadata;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * One node's view of the metadata quorum; the Ratis storage lives in {@code metadataDir/__cluster_metadata-0}.
 * {@code brokerSessionTimeoutMs} is {@code broker.session.timeout.ms}.
 */
public record QuorumConfig(int nodeId, String clusterId, Map<Integer, InetSocketAddress> voters, Path metadataDir,
                           int defaultNumPartitions, short defaultReplicationFactor, long snapshotEveryEntries,
                           long brokerSessionTimeoutMs) {
    public QuorumConfig {
        voters = Map.copyOf(voters);
    }
}
