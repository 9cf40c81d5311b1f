package io.runnel.metadata.quorum;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.DuplicateVoterException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.VoterNotFoundException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Adds and removes voters of the metadata quorum (Kafka's AddRaftVoter and RemoveRaftVoter, KIP-853) as Ratis
 * configuration changes, one voter at a time. A node becomes a voter only from listener: it must already follow the
 * log (a controller started with {@code controller.quorum.bootstrap.servers} joins as one), so the new majority
 * never waits for a replica that is far behind or not running. A removed voter stays a listener, as a removed
 * KRaft voter keeps fetching as an observer; Ratis 3.3.0 leaves its server in the follower role until it restarts
 * (it turns listeners into followers, not back). A leader that is removed hands leadership to another voter first,
 * as a KRaft leader resigns once its removal commits.
 */
final class VoterChanges {
    private static final long RETRY_MS = 200;
    /** Shorter than the client's request timeout, so that a transfer that takes long is answered, not dropped. */
    private static final long TRANSFER_TIMEOUT_MS = 3_000;

    private final RaftClient admin;
    private final RaftGroupId group;

    VoterChanges(RaftClient admin, RaftGroupId group) {
        this.admin = admin;
        this.group = group;
    }

    /** Makes listener {@code nodeId} a voter reachable at {@code address}, before {@code deadlineNanos}. */
    void add(int nodeId, InetSocketAddress address, long deadlineNanos) {
        RaftPeerId id = RatisMetadataLog.peerId(nodeId);
        RaftPeer voter = RatisMetadataLog.peer(nodeId, address, RaftPeerRole.FOLLOWER);
        change(deadlineNanos, conf -> conf.voter(id) != null, conf -> {
            if (conf.voter(id) != null) {
                throw new DuplicateVoterException("Node " + nodeId + " is already a voter of the metadata quorum");
            }
            RaftPeer listener = conf.listener(id);
            if (listener == null) {
                throw new TimeoutException("Node " + nodeId + " does not follow the metadata log: start it first, "
                        + "with controller.quorum.bootstrap.servers naming the current controllers");
            }
            // The leader reaches a voter at the address in the configuration: one it does not listen on would
            // leave the new majority waiting for a voter nobody can reach.
            if (!listener.getAddress().equalsIgnoreCase(voter.getAddress())) {
                throw new InvalidRequestException("Node " + nodeId + " follows the metadata log at "
                        + listener.getAddress() + ", not at " + voter.getAddress()
                        + ": name the controller listener it runs");
            }
            List<RaftPeer> voters = new ArrayList<>(conf.voters());
            voters.add(voter);
            return conf.replace(admin, voters, without(conf.listeners(), id));
        });
    }

    /** Makes voter {@code nodeId} a listener, before {@code deadlineNanos}. */
    void remove(int nodeId, long deadlineNanos) {
        RaftPeerId id = RatisMetadataLog.peerId(nodeId);
        change(deadlineNanos, conf -> conf.voter(id) == null, conf -> {
            RaftPeer voter = conf.voter(id);
            if (voter == null) {
                throw new VoterNotFoundException("Node " + nodeId + " is not a voter of the metadata quorum");
            }
            if (conf.voters().size() == 1) {
                throw new InvalidRequestException("Node " + nodeId + " is the metadata quorum's only voter");
            }
            if (id.equals(conf.leader())) {
                // A Ratis leader left out of the configuration keeps leading: it hands leadership over first.
                RaftPeerId successor = without(conf.voters(), id).get(0).getId();
                RaftClientReply moved = admin.admin().transferLeadership(successor, TRANSFER_TIMEOUT_MS);
                return moved.isSuccess() ? "node " + nodeId + " handed leadership to " + successor
                        : "node " + nodeId + " leads and did not hand leadership over: " + moved.getException();
            }
            List<RaftPeer> listeners = new ArrayList<>(conf.listeners());
            listeners.add(RaftPeer.newBuilder(voter).setStartupRole(RaftPeerRole.LISTENER).build());
            return conf.replace(admin, without(conf.voters(), id), listeners);
        });
    }

    private interface Step {
        /** Null once the change applied, else why it did not (it is tried again); throws when it cannot apply. */
        String attempt(LeaderConfiguration conf) throws IOException;
    }

    /**
     * Tries {@code step} until it applies; once it has been tried, a configuration that is {@code done} ends it too
     * (an attempt whose answer was lost may have applied).
     */
    private void change(long deadlineNanos, Predicate<LeaderConfiguration> done, Step step) {
        boolean tried = false;
        while (true) {
            String failure;
            try {
                LeaderConfiguration conf = LeaderConfiguration.read(admin, group);
                if (tried && conf != null && done.test(conf)) {
                    return;
                }
                tried = true;
                failure = conf == null ? "no leader" : conf.changing() ? "another configuration change is in progress"
                        : step.attempt(conf);
            } catch (IOException e) {
                // A leader that moved or an answer that was lost: the next round reads the configuration again.
                failure = e.toString();
            }
            if (failure == null) {
                return;
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new TimeoutException("The metadata quorum's voters did not change: " + failure);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
        }
    }

    private static List<RaftPeer> without(List<RaftPeer> peers, RaftPeerId id) {
        return peers.stream().filter(p -> !p.getId().equals(id)).toList();
    }
}
