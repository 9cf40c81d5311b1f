package io.runnel.metadata.quorum;

import java.io.IOException;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.util.ProtoUtils;

/**
 * The metadata group's configuration (its voters and listeners) as the leader holds it, and its replacement by
 * compare-and-set: a change computed from one configuration applies only if no other change came first, so
 * concurrent changes (listeners joining, voters added or removed) never undo each other.
 */
record LeaderConfiguration(RaftPeerId leader, List<RaftPeer> voters, List<RaftPeer> listeners, boolean changing) {

    /** The leader's configuration as far as {@code admin} knows the leader, or null when there is none yet. */
    static LeaderConfiguration read(RaftClient admin, RaftGroupId group) throws IOException {
        RaftPeerId leader = admin.getLeaderId();
        if (leader == null) {
            return null;
        }
        GroupInfoReply info = admin.getGroupManagementApi(leader).info(group);
        RaftConfigurationProto conf;
        if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
            conf = info.getConf().orElse(null);
        } else {
            RaftPeerId known = info.getRoleInfoProto().hasFollowerInfo()
                    ? RaftPeerId.valueOf(info.getRoleInfoProto().getFollowerInfo().getLeaderInfo().getId().getId())
                    : null;
            conf = known == null || known.equals(leader) ? null
                    : admin.getGroupManagementApi(known).info(group).getConf().orElse(null);
            leader = known;
        }
        return conf == null ? null : new LeaderConfiguration(leader, ProtoUtils.toRaftPeers(conf.getPeersList()),
                ProtoUtils.toRaftPeers(conf.getListenersList()),
                conf.getOldPeersCount() > 0 || conf.getOldListenersCount() > 0);
    }

    RaftPeer voter(RaftPeerId id) {
        return voters.stream().filter(p -> p.getId().equals(id)).findFirst().orElse(null);
    }

    RaftPeer listener(RaftPeerId id) {
        return listeners.stream().filter(p -> p.getId().equals(id)).findFirst().orElse(null);
    }

    /**
     * Asks the leader to replace exactly this configuration with {@code newVoters} and {@code newListeners}; null
     * once it applied, else why not (another change came first, or the leader refused).
     */
    String replace(RaftClient admin, List<RaftPeer> newVoters, List<RaftPeer> newListeners) throws IOException {
        RaftClientReply reply = admin.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                .setServersInCurrentConf(voters).setListenersInCurrentConf(listeners)
                .setServersInNewConf(newVoters).setListenersInNewConf(newListeners)
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET).build());
        return reply.isSuccess() ? null : String.valueOf(reply.getException());
    }
}
