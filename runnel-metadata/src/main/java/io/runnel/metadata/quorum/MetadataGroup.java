package io.runnel.metadata.quorum;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft group of a cluster's metadata quorum. Its id is the cluster id's 128 bits (cluster ids are Kafka UUIDs,
 * as {@code runnel storage format} requires), so nodes formatted for different clusters never join one group, and a
 * node that meets another cluster's quorum can name that cluster's id.
 */
final class MetadataGroup {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataGroup.class);

    private MetadataGroup() {
    }

    /** The group id of cluster {@code clusterId}; a cluster id that is not a Kafka UUID is hashed into one. */
    static RaftGroupId id(String clusterId) {
        try {
            Uuid uuid = Uuid.fromString(clusterId);
            return RaftGroupId.valueOf(new UUID(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()));
        } catch (IllegalArgumentException notAUuid) {
            return nameBasedId(clusterId);
        }
    }

    /** The cluster id whose group this is. */
    static String clusterId(RaftGroupId group) {
        UUID uuid = group.getUuid();
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()).toString();
    }

    /**
     * The cluster id of the metadata group {@code peer} runs when it is not {@code ours}; empty when it runs ours, none,
     * or cannot be asked.
     */
    static Optional<String> foreignClusterId(RaftProperties properties, RaftGroup ours, RaftPeer peer) {
        try (RaftClient client = RaftClient.newBuilder().setProperties(properties)
                .setRaftGroup(RaftGroup.valueOf(ours.getGroupId(), peer)).setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.noRetry()).build()) {
            List<RaftGroupId> groups = client.getGroupManagementApi(peer.getId()).list().getGroupIds();
            return groups.isEmpty() || groups.contains(ours.getGroupId())
                    ? Optional.empty() : Optional.of(clusterId(groups.get(0)));
        } catch (IOException | RuntimeException e) {
            // Not running or unreachable: not evidence of another cluster id.
            return Optional.empty();
        }
    }

    /**
     * Moves a log that {@code storageDir} holds under the name-based id that nodes used before group ids carried the
     * cluster id, so that an existing node keeps its metadata.
     */
    static void adoptNameBasedDirectory(Path storageDir, String clusterId) throws IOException {
        Path current = storageDir.resolve(id(clusterId).getUuid().toString());
        Path nameBased = storageDir.resolve(nameBasedId(clusterId).getUuid().toString());
        if (!current.equals(nameBased) && Files.isDirectory(nameBased) && !Files.exists(current)) {
            Files.move(nameBased, current);
            LOG.info("Moved the metadata log of cluster {} from {} to {}", clusterId, nameBased, current);
        }
    }

    private static RaftGroupId nameBasedId(String clusterId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(clusterId.getBytes(StandardCharsets.UTF_8)));
    }
}
