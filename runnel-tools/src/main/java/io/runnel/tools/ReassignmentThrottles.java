package io.runnel.tools;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The replication throttles of kafka-reassign-partitions.sh: while partitions move, each topic's
 * {@code leader.replication.throttled.replicas} names the replicas the data comes from and
 * {@code follower.replication.throttled.replicas} those it goes to, and every broker involved gets the
 * {@code leader/follower.replication.throttled.rate}; the brokers whose replicas move between log dirs get
 * {@code replica.alter.log.dirs.io.max.bytes.per.second}; --verify and --cancel remove them all.
 */
final class ReassignmentThrottles {
    static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
    static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";
    static final String LEADER_RATE = "leader.replication.throttled.rate";
    static final String FOLLOWER_RATE = "follower.replication.throttled.rate";
    static final String LOG_DIR_RATE = "replica.alter.log.dirs.io.max.bytes.per.second";

    /** Where one partition's data comes from and goes to. */
    private record Move(Set<Integer> sources, Set<Integer> destinations) {
    }

    private ReassignmentThrottles() {
    }

    /**
     * Throttles the moves of {@code targets} (from {@code current}) and of the reassignments already in progress at
     * {@code rate} bytes per second.
     */
    static void set(Admin admin, Map<TopicPartition, PartitionReassignment> ongoing,
                    Map<TopicPartition, List<Integer>> targets, Map<TopicPartition, List<Integer>> current, long rate)
            throws Exception {
        Map<TopicPartition, Move> moves = new HashMap<>();
        ongoing.forEach((tp, r) -> {
            Set<Integer> sources = new HashSet<>(r.replicas());
            r.addingReplicas().forEach(sources::remove);
            moves.put(tp, new Move(sources, new HashSet<>(r.addingReplicas())));
        });
        targets.forEach((tp, target) -> {
            Move inProgress = moves.get(tp);
            Set<Integer> sources = inProgress != null ? inProgress.sources() : new HashSet<>(current.get(tp));
            Set<Integer> destinations = new HashSet<>(target);
            destinations.removeAll(sources);
            moves.put(tp, new Move(sources, destinations));
        });
        Map<String, Set<String>> leaders = new TreeMap<>();
        Map<String, Set<String>> followers = new TreeMap<>();
        Set<Integer> brokers = new TreeSet<>();
        moves.forEach((tp, move) -> {
            Set<String> leaderReplicas = leaders.computeIfAbsent(tp.topic(), t -> new TreeSet<>());
            Set<String> followerReplicas = followers.computeIfAbsent(tp.topic(), t -> new TreeSet<>());
            move.sources().forEach(b -> leaderReplicas.add(tp.partition() + ":" + b));
            move.destinations().forEach(b -> followerReplicas.add(tp.partition() + ":" + b));
            brokers.addAll(move.sources());
            brokers.addAll(move.destinations());
        });
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        leaders.forEach((topic, replicas) -> changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
                set(LEADER_REPLICAS, String.join(",", replicas)),
                set(FOLLOWER_REPLICAS, String.join(",", followers.get(topic))))));
        brokers.forEach(b -> changes.put(new ConfigResource(ConfigResource.Type.BROKER, b.toString()), List.of(
                set(LEADER_RATE, Long.toString(rate)), set(FOLLOWER_RATE, Long.toString(rate)))));
        admin.incrementalAlterConfigs(changes).all().get();
    }

    /** Limits the copies of replicas moving between the log dirs of {@code brokers} to {@code rate} bytes per second. */
    static void setLogDirRate(Admin admin, Set<Integer> brokers, long rate) throws Exception {
        if (brokers.isEmpty()) {
            return;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        brokers.forEach(b -> changes.put(new ConfigResource(ConfigResource.Type.BROKER, b.toString()),
                List.of(set(LOG_DIR_RATE, Long.toString(rate)))));
        admin.incrementalAlterConfigs(changes).all().get();
    }

    /** Removes the rates from {@code liveBrokers} and every target replica, and the topics' throttled replicas. */
    static void clear(Admin admin, Set<Integer> liveBrokers, Map<TopicPartition, List<Integer>> targets,
                      PrintWriter out) throws Exception {
        Set<Integer> brokers = new TreeSet<>(liveBrokers);
        targets.values().forEach(brokers::addAll);
        Set<String> topics = targets.keySet().stream().map(TopicPartition::topic)
                .collect(Collectors.toCollection(TreeSet::new));
        out.printf("Clearing broker-level throttles on broker%s %s%n", brokers.size() == 1 ? "" : "s",
                brokers.stream().map(String::valueOf).collect(Collectors.joining(",")));
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        brokers.forEach(b -> changes.put(new ConfigResource(ConfigResource.Type.BROKER, b.toString()),
                List.of(delete(LEADER_RATE), delete(FOLLOWER_RATE), delete(LOG_DIR_RATE))));
        admin.incrementalAlterConfigs(changes).all().get();
        out.printf("Clearing topic-level throttles on topic%s %s%n", topics.size() == 1 ? "" : "s",
                String.join(",", topics));
        changes.clear();
        topics.forEach(t -> changes.put(new ConfigResource(ConfigResource.Type.TOPIC, t),
                List.of(delete(LEADER_REPLICAS), delete(FOLLOWER_REPLICAS))));
        admin.incrementalAlterConfigs(changes).all().get();
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE);
    }
}
