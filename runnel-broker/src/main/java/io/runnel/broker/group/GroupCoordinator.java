package io.runnel.broker.group;

import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.broker.coordinator.CoordinatorRuntime;
import io.runnel.broker.coordinator.CoordinatorTopic;
import io.runnel.broker.coordinator.TransactionMarker;
import io.runnel.broker.protocol.InternalTopics;
import io.runnel.broker.replica.LeadershipListener;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.Controller;
import io.runnel.metadata.CreateTopicSpec;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Routes a group to its {@code __consumer_offsets} partition (Kafka's hash) and keeps one {@link GroupShard} per
 * partition led here: loaded by replaying the partition on its own thread when leadership arrives, unloaded when it
 * goes. Creates the topic on demand, owns the timers of every group and the periodic offset expiry.
 * Each shard writes through the {@link CoordinatorRuntime}: its changes are answered once committed.
 */
public final class GroupCoordinator implements LeadershipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);
    /** Kafka's settings of the offsets topic besides compaction. */
    private static final Map<String, String> OFFSETS_TOPIC_CONFIGS = Map.of(
            "cleanup.policy", "compact", "compression.type", "producer", "segment.bytes", "104857600");

    private final GroupConfig config;
    private final CoordinatorTopic topic;
    private final CoordinatorRuntime runtime;
    /** Told each partition's load time; set once at start-up. */
    private volatile LongConsumer loadTimes = nanos -> { };
    private volatile IntConsumer commits = offsets -> { };
    private volatile IntConsumer expirations = offsets -> { };
    private volatile IntConsumer deletions = offsets -> { };
    private volatile Consumer<GroupType> rebalances = type -> { };
    private final Map<Integer, GroupShard> shards = new ConcurrentHashMap<>();
    private final Map<Short, GroupRecordReplayer> replayers = new ConcurrentHashMap<>();
    private final HashedWheelTimer timer =
            new HashedWheelTimer(new DefaultThreadFactory("runnel-group-timer", true), 10, TimeUnit.MILLISECONDS, 512);
    /** Loading and expiry read and write logs: never on an event loop or the metadata thread. */
    private final ScheduledExecutorService background =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("runnel-group-coordinator", true));

    public GroupCoordinator(GroupConfig config, ReplicaManager replicas, Controller controller, CoordinatorRuntime runtime) {
        this.config = config;
        this.topic = new CoordinatorTopic(new CreateTopicSpec(InternalTopics.CONSUMER_OFFSETS,
                config.offsetsTopicPartitions(), config.offsetsTopicReplicationFactor(), Map.of(), OFFSETS_TOPIC_CONFIGS),
                replicas, controller);
        this.runtime = runtime;
        long interval = config.offsetsRetentionCheckIntervalMs();
        background.scheduleWithFixedDelay(this::expireOffsets, interval, interval, TimeUnit.MILLISECONDS);
    }

    public GroupConfig config() {
        return config;
    }

    HashedWheelTimer timer() {
        return timer;
    }

    public void registerReplayer(short recordType, GroupRecordReplayer replayer) {
        replayers.put(recordType, replayer);
    }

    GroupRecordReplayer replayer(short recordType) {
        return replayers.get(recordType);
    }

    /** Kafka's rule: the same group always maps to the same partition. */
    public int partitionFor(String groupId) {
        return topic.partitionFor(groupId);
    }

    /** The loaded shard holding the group, or the exception Kafka answers when this broker cannot serve it now. */
    public GroupShard shardFor(String groupId) {
        if (topic.image() == null) {
            throw new CoordinatorNotAvailableException("The offsets topic does not exist yet");
        }
        return shard(partitionFor(groupId));
    }

    /** The loaded shard of a partition of the offsets topic, or the exception Kafka answers when there is none here. */
    private GroupShard shard(int partition) {
        GroupShard shard = shards.get(partition);
        if (shard == null) {
            throw new NotCoordinatorException("This broker is not the coordinator of partition " + partition
                    + " of the offsets topic");
        }
        if (!shard.isLoaded()) {
            throw new CoordinatorLoadInProgressException("Partition " + partition + " of the offsets topic is loading");
        }
        return shard;
    }

    /**
     * Writes the marker ending a producer's transaction to a partition of the offsets topic led here (WriteTxnMarkers),
     * through its shard, which applies or drops the producer's pending offsets once it is committed. Fails with
     * NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS while the partition's shard is not loaded here.
     */
    public CompletableFuture<Void> completeTransaction(int partition, TransactionMarker marker) {
        try {
            GroupShard shard = shard(partition);
            synchronized (shard) {
                return shard.completeTransaction(marker);
            }
        } catch (ApiException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public List<GroupShard> loadedShards() {
        return shards.values().stream().filter(GroupShard::isLoaded).toList();
    }

    /** The offsets committed in the groups coordinated here (Kafka's NumOffsets), each shard counted under its lock. */
    public int offsetCount() {
        int count = 0;
        for (GroupShard shard : loadedShards()) {
            synchronized (shard) {
                count += shard.offsetCount();
            }
        }
        return count;
    }

    /** The state of each classic group coordinated here ("Stable", "Empty"...), for Kafka's NumGroups gauges. */
    public List<String> classicGroupStates() {
        return groupStates(GroupType.CLASSIC);
    }

    /** The state of each group of that type coordinated here, by Kafka's names, each shard walked under its lock. */
    public List<String> groupStates(GroupType type) {
        List<String> states = new ArrayList<>();
        for (GroupShard shard : loadedShards()) {
            synchronized (shard) {
                for (Group group : shard.groups()) {
                    if (group.type() == type) {
                        states.add(group.stateName());
                    }
                }
            }
        }
        return states;
    }

    /** Tells {@code offsets} how many offsets each commit request writes (Kafka's offset-commit-rate and -count). */
    public void countCommits(IntConsumer offsets) {
        commits = offsets;
    }

    void offsetsCommitted(int offsets) {
        commits.accept(offsets);
    }

    /**
     * Tells {@code expired} how many offsets each expiry removes (Kafka's offset-expiration-rate and -count), and
     * {@code deleted} how many each OffsetDelete request removes (offset-deletion-rate and -count).
     */
    public void countRemovals(IntConsumer expired, IntConsumer deleted) {
        expirations = expired;
        deletions = deleted;
    }

    void offsetsExpired(int offsets) {
        expirations.accept(offsets);
    }

    void offsetsDeleted(int offsets) {
        deletions.accept(offsets);
    }

    /**
     * Tells {@code rebalanced} of each classic group rebalance completed (Kafka's group-completed-rebalance-rate) and
     * each consumer group epoch bump (consumer-group-rebalance-rate), by the group's type.
     */
    public void countRebalances(Consumer<GroupType> rebalanced) {
        rebalances = rebalanced;
    }

    void rebalanceCompleted(GroupType type) {
        rebalances.accept(type);
    }

    /** Tells {@code nanos} how long each offsets partition led here took to load (replay). */
    public void timeLoads(LongConsumer nanos) {
        loadTimes = nanos;
    }

    /**
     * The broker leading the group's partition, creating the offsets topic first if needed (as Kafka does on the
     * first FindCoordinator); fails with COORDINATOR_NOT_AVAILABLE while there is none.
     */
    public CompletableFuture<Integer> coordinatorOf(String groupId) {
        return topic.coordinatorOf(groupId);
    }

    @Override
    public void onBecomeLeader(Partition partition) {
        TopicPartition tp = partition.topicPartition();
        if (!tp.topic().equals(InternalTopics.CONSUMER_OFFSETS)) {
            return;
        }
        GroupShard shard = new GroupShard(partition, this, runtime.writer(partition));
        GroupShard previous = shards.put(tp.partition(), shard);
        if (previous != null) {
            previous.unload();
        }
        background.execute(() -> {
            try {
                long start = System.nanoTime();
                shard.load();
                loadTimes.accept(System.nanoTime() - start);
            } catch (RuntimeException e) {
                log.error("Cannot load the groups of {}", tp, e);
            }
        });
    }

    @Override
    public void onResign(TopicPartition tp) {
        if (tp.topic().equals(InternalTopics.CONSUMER_OFFSETS)) {
            GroupShard shard = shards.remove(tp.partition());
            if (shard != null) {
                shard.unload();
            }
        }
    }

    private void expireOffsets() {
        long now = System.currentTimeMillis();
        for (GroupShard shard : new ArrayList<>(shards.values())) {
            try {
                shard.expireOffsets(now);
            } catch (RuntimeException e) {
                log.warn("Offset expiry of shard {} failed", shard.partitionIndex(), e);
            }
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        shards.values().forEach(GroupShard::unload);
        shards.clear();
        timer.stop();
    }
}
