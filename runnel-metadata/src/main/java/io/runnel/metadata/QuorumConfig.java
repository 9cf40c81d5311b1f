package io.runnel.metadata;

import io.runnel.metadata.quorum.QuorumTransport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * One node's view of the metadata quorum; the Ratis storage lives in {@code metadataDir/__cluster_metadata-0}.
 * {@code brokerSessionTimeoutMs} is {@code broker.session.timeout.ms}; the defaults are the static
 * {@code num.partitions}, {@code default.replication.factor} and {@code min.insync.replicas}. A node that is not among
 * the voters follows the log as a non-voting Ratis listener (an observer, in Kafka's terms) at
 * {@code observerAddress}; voters pass null. {@code transport} is how members reach each other (plaintext, or TLS on an SSL controller listener).
 */
public record QuorumConfig(int nodeId, String clusterId, Map<Integer, InetSocketAddress> voters, Path metadataDir,
                           int defaultNumPartitions, short defaultReplicationFactor, int defaultMinInsyncReplicas,
                           long snapshotEveryEntries, long brokerSessionTimeoutMs, InetSocketAddress observerAddress, QuorumTransport transport) {
    public QuorumConfig {
        voters = Map.copyOf(voters);
    }

    /** A quorum on plaintext connections. */
    public QuorumConfig(int nodeId, String clusterId, Map<Integer, InetSocketAddress> voters, Path metadataDir,
                        int defaultNumPartitions, short defaultReplicationFactor, int defaultMinInsyncReplicas,
                        long snapshotEveryEntries, long brokerSessionTimeoutMs, InetSocketAddress observerAddress) {
        this(nodeId, clusterId, voters, metadataDir, defaultNumPartitions, defaultReplicationFactor,
                defaultMinInsyncReplicas, snapshotEveryEntries, brokerSessionTimeoutMs, observerAddress,
                QuorumTransport.plaintext());
    }
}
