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
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft group of a cluster's metadata quorum. Its id is the cluster id's 128 bits (cluster ids are Kafka UUIDs, as
 * {@code runnel storage format} requires), so nodes formatted for different clusters never join one group, and a node
 * that meets another cluster's quorum can name that cluster's id. A cluster id written otherwise (not a UUID, or with
 * stray bits past the 128 in its last character, as some examples carry) is hashed into a name-based (version 3)
 * UUID instead, which still keeps clusters apart but cannot be named back.
 */
final class MetadataGroup {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataGroup.class);
    private static final int NAME_BASED_VERSION = 3;

    private MetadataGroup() {
    }

    /** The group id of cluster {@code clusterId}. */
    static RaftGroupId id(String clusterId) {
        try {
            Uuid uuid = Uuid.fromString(clusterId);
            UUID bits = new UUID(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
            if (uuid.toString().equals(clusterId) && bits.version() != NAME_BASED_VERSION) {
                return RaftGroupId.valueOf(bits);
            }
        } catch (IllegalArgumentException notAUuid) {
            // hashed below
        }
        return nameBasedId(clusterId);
    }

    /** The cluster id whose group this is, when the group id carries it. */
    static Optional<String> clusterId(RaftGroupId group) {
        UUID uuid = group.getUuid();
        return uuid.version() == NAME_BASED_VERSION ? Optional.empty()
                : Optional.of(new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()).toString());
    }

    /**
     * The cluster id of the metadata group {@code peer} runs when it is not {@code ours}, as an error message names it
     * ("cluster id X", or "another cluster id" when its group id does not carry it); empty when it runs ours, none, or
     * cannot be asked.
     */
    static Optional<String> foreignClusterId(QuorumTransport transport, RaftGroup ours, RaftPeer peer) {
        try (RaftClient client = transport.client(transport.clientProperties(),
                RaftGroup.valueOf(ours.getGroupId(), peer)).build()) {
            List<RaftGroupId> groups = client.getGroupManagementApi(peer.getId()).list().getGroupIds();
            return groups.isEmpty() || groups.contains(ours.getGroupId()) ? Optional.empty()
                    : Optional.of(clusterId(groups.get(0)).map(id -> "cluster id " + id).orElse("another cluster id"));
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
