package io.runnel.it.replication;

import static io.runnel.it.Await.awaitCondition;

import io.runnel.it.ClusterAdmin;
import io.runnel.it.RunnelProcess;
import io.runnel.it.RunnelProcessCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The faults of the campaign, applied to the partitions of one topic on a process cluster and observed through the
 * Admin client: every wait is for a condition the cluster reports (a new leader, a smaller ISR, a full ISR).
 */
final class Faults implements AutoCloseable {
    enum Kind {
        /** kill -9 the leader of a partition; once another replica leads, start it again. */
        KILL_LEADER,
        /** SIGSTOP a follower of a partition until the ISR no longer holds it, then SIGCONT. */
        PAUSE_FOLLOWER,
        /** kill -9 a follower of a partition and start it again at once. */
        KILL_FOLLOWER
    }

    private static final Duration WAIT = Duration.ofSeconds(180);

    private final RunnelProcessCluster cluster;
    private final Admin admin;
    private final String topic;
    private final int partitions;
    private final Map<Kind, Integer> applied = new EnumMap<>(Kind.class);

    Faults(RunnelProcessCluster cluster, String topic, int partitions) {
        this.cluster = cluster;
        this.topic = topic;
        this.partitions = partitions;
        this.admin = ClusterAdmin.admin(cluster);
        for (Kind kind : Kind.values()) {
            applied.put(kind, 0);
        }
    }

    Admin admin() {
        return admin;
    }

    Map<Kind, Integer> applied() {
        return applied;
    }

    /** Applies a fault of a random kind to a random partition; returns a line saying what was done. */
    String applyRandom(Random random) throws IOException, InterruptedException {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        int partition = random.nextInt(partitions);
        TopicPartitionInfo info = awaitPartition(partition, p -> p.leader() != null && !p.leader().isEmpty(),
                "partition " + partition + " has a leader");
        int leader = info.leader().id();
        List<Integer> followers = info.replicas().stream().map(Node::id).filter(id -> id != leader).toList();
        int follower = followers.get(random.nextInt(followers.size()));
        applied.merge(kind, 1, Integer::sum);
        switch (kind) {
            case KILL_LEADER -> {
                RunnelProcess node = cluster.node(leader);
                long killed = System.nanoTime();
                node.kill9();
                awaitPartition(partition, p -> p.leader() != null && !p.leader().isEmpty() && p.leader().id() != leader,
                        "another replica leads partition " + partition + " after node " + leader + " was killed");
                long led = System.nanoTime();
                node.start();
                return kind + " node " + leader + " (leader of partition " + partition + "; new leader "
                        + seconds(killed, led) + ", restart " + seconds(led, System.nanoTime()) + ")";
            }
            case PAUSE_FOLLOWER -> {
                RunnelProcess node = cluster.node(follower);
                long paused = System.nanoTime();
                node.pause();
                try {
                    awaitPartition(partition, p -> p.isr().stream().noneMatch(n -> n.id() == follower),
                            "the ISR of partition " + partition + " shrinks without the stopped node " + follower);
                } finally {
                    node.resume();
                }
                return kind + " node " + follower + " (follower of partition " + partition + "; out of the ISR "
                        + seconds(paused, System.nanoTime()) + ")";
            }
            case KILL_FOLLOWER -> {
                RunnelProcess node = cluster.node(follower);
                long killed = System.nanoTime();
                node.kill9();
                node.start();
                return kind + " node " + follower + " (follower of partition " + partition + "; restart "
                        + seconds(killed, System.nanoTime()) + ")";
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    /** The time between two {@link System#nanoTime()} readings, as a round's line shows it. */
    static String seconds(long fromNanos, long toNanos) {
        return String.format("%.1f s", (toNanos - fromNanos) / 1e9);
    }

    /** Waits until every partition has a leader and all its replicas in the ISR. */
    void awaitFullIsr() {
        awaitCondition(WAIT, () -> {
            List<TopicPartitionInfo> all = describe();
            return all != null && all.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()
                    && p.isr().size() == p.replicas().size());
        }, "every partition of " + topic + " has a leader and a full ISR");
    }

    private TopicPartitionInfo awaitPartition(int partition, Predicate<TopicPartitionInfo> condition, String what) {
        TopicPartitionInfo[] seen = new TopicPartitionInfo[1];
        awaitCondition(WAIT, () -> {
            List<TopicPartitionInfo> all = describe();
            seen[0] = all == null ? null
                    : all.stream().filter(p -> p.partition() == partition).findFirst().orElse(null);
            return seen[0] != null && condition.test(seen[0]);
        }, what);
        return seen[0];
    }

    /** The topic's partitions, or null when the node asked did not answer in time. */
    private List<TopicPartitionInfo> describe() {
        TopicDescription description = ClusterAdmin.describeOrNull(admin, topic);
        return description == null ? null : description.partitions();
    }

    @Override
    public void close() {
        admin.close();
    }
}
