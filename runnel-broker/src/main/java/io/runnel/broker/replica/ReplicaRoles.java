package io.runnel.broker.replica;

import io.runnel.metadata.PartitionRegistration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The role each replica here takes as its partition's registration says. A leader stops fetching and takes the
 * registration's ISR; a follower fetches from its leader under the leader epoch given, its fetching restarted only
 * when the leader or the epoch changes (a change of the ISR or of the replicas alone updates it in place); the
 * leadership listeners hear of every leadership gained and lost. Used from the replica manager's thread only.
 */
final class ReplicaRoles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRoles.class);
    /** What a replica that stops here is left with: no leader, no replicas. */
    private static final PartitionRegistration STOPPED =
            new PartitionRegistration(new int[0], new int[0], -1, -1, -1);

    private final ReplicaFetcherManager fetchers;
    private final List<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();

    ReplicaRoles(ReplicaFetcherManager fetchers) {
        this.fetchers = fetchers;
    }

    void addLeadershipListener(LeadershipListener listener) {
        leadershipListeners.add(listener);
    }

    void becomeLeader(Partition partition, PartitionRegistration registration) {
        boolean wasLeader = partition.isLeader();
        fetchers.removePartition(partition.topicPartition());
        if (partition.makeLeader(registration)) {
            LOG.info("Leader of {} in epoch {} from offset {}, ISR {}", partition.topicPartition(),
                    registration.leaderEpoch(), partition.log().logEndOffset(), Arrays.toString(registration.isr()));
        }
        partition.afterLeadershipUpdate();
        if (!wasLeader) {
            leadershipListeners.forEach(l -> l.onBecomeLeader(partition));
        }
    }

    void becomeFollower(Partition partition, Uuid topicId, PartitionRegistration registration) {
        boolean wasLeader = partition.isLeader();
        if (!wasLeader && partition.leaderId() == registration.leader()
                && partition.leaderEpoch() == registration.leaderEpoch()) {
            // Only the ISR or the replicas changed: the fetcher goes on from where it is.
            partition.updateFollowerAssignment(registration);
            return;
        }
        TopicPartition tp = partition.topicPartition();
        fetchers.removePartition(tp);
        partition.makeFollower(registration);
        if (wasLeader) {
            leadershipListeners.forEach(l -> l.onResign(tp));
        }
        if (registration.leader() >= 0) {
            LOG.info("Follower of {} in epoch {}: fetching from broker {} at offset {}", tp, registration.leaderEpoch(),
                    registration.leader(), partition.log().logEndOffset());
            fetchers.addPartition(partition, topicId, registration.leader(), registration.leaderEpoch());
        }
    }

    /** The replica stops here (its topic deleted, reassigned away, or its log dir failed): no fetching, no leadership. */
    void stop(Partition partition) {
        TopicPartition tp = partition.topicPartition();
        fetchers.removePartition(tp);
        boolean wasLeader = partition.isLeader();
        partition.makeFollower(STOPPED);
        if (wasLeader) {
            leadershipListeners.forEach(l -> l.onResign(tp));
        }
    }

    /** Holds this broker's follower fetchers (true) or lets them go on (false). */
    void pauseFetching(boolean paused) {
        fetchers.setPaused(paused);
    }

    @Override
    public void close() {
        fetchers.close();
    }
}
