package io.runnel.metadata.quorum;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;

/**
 * The voters of the metadata quorum as a controller given in {@code controller.quorum.bootstrap.servers} reports
 * them (Kafka 3.9's way for a node to find the quorum without listing its voters): asks each bootstrap server in
 * turn for the metadata group's configuration until one answers.
 */
public final class VoterDiscovery {
    private static final long RETRY_MS = 500;

    private VoterDiscovery() {
    }

    /**
     * The voters of {@code voters} other than {@code self} that answer and run another cluster's metadata group (they
     * were formatted with another cluster id), described for an error message; empty when none.
     */
    static String foreignVoters(QuorumTransport transport, RaftGroup voters, RaftPeerId self) {
        StringBuilder foreign = new StringBuilder();
        for (RaftPeer voter : voters.getPeers()) {
            if (voter.getId().equals(self)) {
                continue;
            }
            MetadataGroup.foreignClusterId(transport, voters, voter).ifPresent(clusterId -> foreign
                    .append(foreign.length() == 0 ? "" : "; ").append("voter ")
                    .append(RatisMetadataLog.nodeId(voter.getId())).append(" at ").append(voter.getAddress())
                    .append(" was formatted for ").append(clusterId));
        }
        return foreign.toString();
    }

    /**
     * The voters, by node id, of the metadata quorum of cluster {@code clusterId}; fails when no bootstrap server
     * answers within {@code timeout}, and at once when one runs no quorum of this cluster id.
     */
    public static Map<Integer, InetSocketAddress> voters(String clusterId, List<InetSocketAddress> bootstrap,
                                                         QuorumTransport transport, Duration timeout)
            throws IOException {
        RaftGroupId group = MetadataGroup.id(clusterId);
        RaftProperties properties = transport.clientProperties();
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (true) {
            for (InetSocketAddress server : bootstrap) {
                // The bootstrap server's node id is unknown: any id reaches it, and it answers for the group.
                RaftPeer peer = RaftPeer.newBuilder().setId(RaftPeerId.valueOf("bootstrap"))
                        .setAddress(server.getHostString() + ":" + server.getPort()).build();
                try (RaftClient client = transport.client(properties, RaftGroup.valueOf(group, peer)).build()) {
                    GroupInfoReply info = client.getGroupManagementApi(peer.getId()).info(group);
                    RaftConfigurationProto conf = info.getConf().orElse(null);
                    if (conf != null && conf.getPeersCount() > 0) {
                        return RatisMetadataLog.voters(conf);
                    }
                } catch (IOException e) {
                    if (ListenerMembership.causedBy(e, GroupMismatchException.class)) {
                        String theirs = MetadataGroup.foreignClusterId(transport, RaftGroup.valueOf(group), peer)
                                .orElse("another cluster id");
                        throw new IOException("The controller at " + server + " (controller.quorum.bootstrap.servers) "
                                + "was formatted for " + theirs + ", but this node for cluster id "
                                + clusterId + " (meta.properties)", e);
                    }
                    last = e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("No controller of " + bootstrap + " (controller.quorum.bootstrap.servers) "
                        + "named the quorum's voters within " + timeout.toMillis() + " ms; the controllers of a new "
                        + "quorum are formatted with its first voters: `runnel storage format --standalone` on one, or "
                        + "`--initial-controllers id@host:port:directoryId,...` on each", last);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
        }
    }
}
