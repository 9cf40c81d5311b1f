package io.runnel.broker.group;

import io.netty.util.Timeout;
import io.runnel.broker.coordinator.CoordinatorWriter;
import io.runnel.broker.coordinator.PartitionReplay;
import io.runnel.broker.coordinator.ShardWrites;
import io.runnel.broker.coordinator.TransactionMarker;
import io.runnel.broker.protocol.KeyValueBatches;
import io.runnel.broker.replica.Partition;
import io.runnel.storage.VerificationGuard;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.InvalidCommitOffsetSizeException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The groups and committed offsets of one {@code __consumer_offsets} partition this broker leads, rebuilt by replaying
 * the partition when leadership arrives, and persisted there through a {@link CoordinatorWriter}: a change is
 * answered only once its records are committed.
 *
 * <p>Every use holds the shard's lock ({@code synchronized (shard)}), timers ({@link #schedule}) and write completions
 * too. Committed offsets and group deletions change the state only when their records commit, in log order, so that
 * OffsetFetch never sees an offset a failover could lose and a failed write leaves the earlier state. Group membership
 * (classic and consumer) is the live state that the next request of the group works on; responses computed from it
 * wait for every write made before them ({@link #whenCommitted}).
 */
public final class GroupShard {
    private static final Logger log = LoggerFactory.getLogger(GroupShard.class);

    private final Partition partition;
    private final GroupCoordinator coordinator;
    private final CoordinatorWriter writer;
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new HashMap<>();
    private final PendingTxnOffsets pending = new PendingTxnOffsets();
    private volatile boolean loaded;
    private boolean unloaded;

    GroupShard(Partition partition, GroupCoordinator coordinator, CoordinatorWriter writer) {
        this.partition = partition;
        this.coordinator = coordinator;
        this.writer = writer;
    }

    public int partitionIndex() {
        return partition.topicPartition().partition();
    }

    public GroupConfig config() {
        return coordinator.config();
    }

    boolean isLoaded() {
        return loaded;
    }

    /** The group, or null. */
    public Group group(String groupId) {
        return groups.get(groupId);
    }

    public Collection<Group> groups() {
        return groups.values();
    }

    public <G extends Group> G addGroup(G group) {
        groups.put(group.groupId(), group);
        return group;
    }

    /**
     * The classic group a request names; {@code create} (a JoinGroup without member id) makes an unknown id an Empty
     * group. Errors as Kafka's: UNKNOWN_MEMBER_ID for an unknown group, INCONSISTENT_GROUP_PROTOCOL for another type.
     */
    public ClassicGroup classicGroup(String groupId, boolean create) {
        Group group = create ? groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, this)) : groups.get(groupId);
        if (group == null) {
            throw new UnknownMemberIdException("Group " + groupId + " is unknown");
        }
        if (!(group instanceof ClassicGroup classic)) {
            throw new InconsistentGroupProtocolException("Group " + groupId + " is a " + group.type() + " group");
        }
        return classic;
    }

    /** Forgets a classic group a failed first JoinGroup created. */
    public void dropIfUnused(String groupId) {
        if (groups.get(groupId) instanceof ClassicGroup classic && classic.isUnused() && !offsets.containsKey(groupId)
                && !pending.hasOpenTransactions(groupId)) {
            groups.remove(groupId);
        }
    }

    /** The committed offsets of a group (empty if none); a view, read it under the shard's lock. */
    public Map<TopicPartition, CommittedOffset> committedOffsets(String groupId) {
        return offsets.getOrDefault(groupId, Map.of());
    }

    /** How many offsets are committed, over every group; read it under the shard's lock. */
    public int offsetCount() {
        int count = 0;
        for (Map<TopicPartition, CommittedOffset> group : offsets.values()) {
            count += group.size();
        }
        return count;
    }

    /**
     * Every group's committed offsets, copied under the shard's lock so that a metrics scrape holds it only for the
     * copy, never while it reads logs or writes the response.
     */
    public synchronized Map<String, Map<TopicPartition, Long>> committedOffsetsCopy() {
        Map<String, Map<TopicPartition, Long>> copy = new HashMap<>();
        offsets.forEach((groupId, committed) -> {
            Map<TopicPartition, Long> group = new HashMap<>();
            committed.forEach((tp, offset) -> group.put(tp, offset.offset()));
            copy.put(groupId, group);
        });
        return copy;
    }

    /** The partitions of the group with offsets committed in open transactions (OffsetFetch's UNSTABLE_OFFSET_COMMIT). */
    public Set<TopicPartition> pendingOffsets(String groupId) {
        return pending.partitions(groupId);
    }

    /**
     * Writes the commits; once committed they are visible and a group not yet known is created Empty, as Kafka's
     * simple commits do.
     */
    /** A classic group of this shard completed a rebalance: its assignment is committed and it is Stable. */
    void rebalanceCompleted() {
        coordinator.rebalanceCompleted(GroupType.CLASSIC);
    }

    /** A consumer group of this shard bumped its group epoch. */
    public void consumerGroupRebalanced() {
        coordinator.rebalanceCompleted(GroupType.CONSUMER);
    }

    public CompletableFuture<Void> commitOffsets(String groupId, Map<TopicPartition, CommittedOffset> commits) {
        coordinator.offsetsCommitted(commits.size());
        List<ByteBuffer> values = new ArrayList<>(commits.size());
        commits.values().forEach(offset -> values.add(GroupRecords.offsetValue(offset)));
        return write(offsetKeys(groupId, commits.keySet()), values, commits.isEmpty() ? null
                : () -> putOffsets(groupId, commits));
    }

    /**
     * Writes the commits of a producer's open transaction (TxnOffsetCommit) as a transactional batch of that producer
     * (an older producer epoch than the partition knows is INVALID_PRODUCER_EPOCH). Once committed they are pending:
     * invisible to OffsetFetch until the marker ending the transaction applies them ({@link #completeTransaction}).
     * With {@code guard} (transaction verification, KIP-890) the batch is refused with INVALID_TXN_STATE when the
     * transaction confirmed under it has ended since.
     */
    public CompletableFuture<Void> commitTransactionalOffsets(String groupId, long producerId, short producerEpoch,
                                                              Map<TopicPartition, CommittedOffset> commits,
                                                              VerificationGuard guard) {
        if (commits.isEmpty()) {
            return write(List.of(), List.of(), null);
        }
        coordinator.offsetsCommitted(commits.size());
        List<ByteBuffer> values = new ArrayList<>(commits.size());
        commits.values().forEach(offset -> values.add(GroupRecords.offsetValue(offset)));
        ByteBuffer batch = KeyValueBatches.buildTransactional(System.currentTimeMillis(), producerId, producerEpoch,
                offsetKeys(groupId, commits.keySet()), values);
        Runnable pending = applying(() -> addPending(producerId, groupId, commits));
        return underLock(guard == null ? writer.write(batch, pending) : writer.writeVerified(batch, guard, pending));
    }

    /**
     * Writes the marker ending a producer's transaction (WriteTxnMarkers for this partition), in order with the
     * shard's other writes; once committed, the producer's pending offsets are applied (commit) or dropped (abort).
     */
    public CompletableFuture<Void> completeTransaction(TransactionMarker marker) {
        return underLock(writer.writeMarker(marker,
                applying(() -> endTransaction(marker.producerId(), marker.commit()))));
    }

    /**
     * OffsetDelete: writes tombstones for the committed or pending ones of the offsets, counted as Kafka's offset
     * deletions; they are forgotten once committed.
     */
    public CompletableFuture<Void> deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        List<TopicPartition> deleting = partitions.stream()
                .filter(tp -> committedOffsets(groupId).containsKey(tp) || pending.isPending(groupId, tp)).toList();
        coordinator.offsetsDeleted(deleting.size());
        return tombstoneOffsets(groupId, deleting);
    }

    private CompletableFuture<Void> tombstoneOffsets(String groupId, List<TopicPartition> deleting) {
        List<ByteBuffer> keys = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        deleting.forEach(tp -> {
            keys.add(GroupRecords.offsetKey(groupId, tp));
            values.add(null);
        });
        return write(keys, values, () -> removeOffsets(groupId, deleting));
    }

    /**
     * Removes an (empty) group and its offsets: tombstones for the offsets (pending ones of open transactions too, as
     * Kafka's coordinator does), then for the group's own records. The group leaves at once, so that a new one of that
     * id starts after the tombstones (as a replay would see it); its offsets go once the tombstones commit; a failed
     * write puts the group back.
     */
    public CompletableFuture<Void> deleteGroup(String groupId) {
        Group group = groups.remove(groupId);
        Set<TopicPartition> deleting = new LinkedHashSet<>(committedOffsets(groupId).keySet());
        deleting.addAll(pending.partitions(groupId));
        List<ByteBuffer> keys = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        deleting.forEach(tp -> {
            keys.add(GroupRecords.offsetKey(groupId, tp));
            values.add(null);
        });
        if (group != null) {
            group.tombstoneKeys().forEach(k -> {
                keys.add(k);
                values.add(null);
            });
        }
        return write(keys, values, () -> {
            removeOffsets(groupId, deleting);
            if (group != null) {
                groups.remove(groupId, group);
                group.onUnload();
            }
        }).whenComplete((done, error) -> {
            if (error != null && group != null) {
                groups.putIfAbsent(groupId, group);
            }
        });
    }

    /**
     * Appends records (a null value is a tombstone) to the partition as one batch, refused under
     * {@code min.insync.replicas}. The future completes once they are committed, after {@code onCommitted} (may be
     * null) has run under the shard's lock; with no record, once every earlier write is committed. Its dependents run
     * under the shard's lock; it fails with the error Kafka's coordinator gives for a failed write.
     */
    public CompletableFuture<Void> write(List<ByteBuffer> keys, List<ByteBuffer> values, Runnable onCommitted) {
        Runnable apply = applying(onCommitted);
        CompletableFuture<Void> written = keys.isEmpty() ? writer.whenCommitted().thenRun(apply)
                : writer.write(KeyValueBatches.build(System.currentTimeMillis(), keys, values), apply);
        return underLock(written);
    }

    /** {@code onCommitted} (may be null) as a committed write runs it: under the shard's lock, unless unloaded. */
    private Runnable applying(Runnable onCommitted) {
        return () -> {
            synchronized (this) {
                if (!unloaded && onCommitted != null) {
                    onCommitted.run();
                }
            }
        };
    }

    private static List<ByteBuffer> offsetKeys(String groupId, Collection<TopicPartition> partitions) {
        List<ByteBuffer> keys = new ArrayList<>(partitions.size());
        partitions.forEach(tp -> keys.add(GroupRecords.offsetKey(groupId, tp)));
        return keys;
    }

    /** The response, sent once every write this shard made before it was computed is committed. */
    public <T> CompletableFuture<T> whenCommitted(CompletableFuture<T> response) {
        return response.thenCompose(r -> underLock(writer.whenCommitted()).thenApply(done -> r));
    }

    private CompletableFuture<Void> underLock(CompletableFuture<Void> written) {
        return ShardWrites.underLock(this, written, this::writeError);
    }

    private ApiException writeError(Throwable error) {
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            return new InvalidCommitOffsetSizeException("The commit is too large for " + partition.topicPartition());
        }
        return ShardWrites.writeError(error, partition.topicPartition().toString());
    }

    /** A plain commit: visible at once, and later than the pending offsets of its partitions. */
    private void putOffsets(String groupId, Map<TopicPartition, CommittedOffset> commits) {
        applyOffsets(groupId, commits);
        pending.supersede(groupId, commits.keySet());
    }

    private void applyOffsets(String groupId, Map<TopicPartition, CommittedOffset> commits) {
        offsets.computeIfAbsent(groupId, g -> new LinkedHashMap<>()).putAll(commits);
        groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, this));
    }

    /** Offsets of an open transaction; the group is created as a plain commit creates it (Kafka does the same). */
    private void addPending(long producerId, String groupId, Map<TopicPartition, CommittedOffset> commits) {
        pending.add(producerId, groupId, commits);
        groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, this));
    }

    private void endTransaction(long producerId, boolean commit) {
        pending.end(producerId, commit).forEach(this::applyOffsets);
    }

    private void removeOffsets(String groupId, Collection<TopicPartition> partitions) {
        pending.remove(groupId, partitions);
        Map<TopicPartition, CommittedOffset> committed = offsets.get(groupId);
        if (committed != null) {
            partitions.forEach(committed::remove);
            if (committed.isEmpty()) {
                offsets.remove(groupId);
            }
        }
    }

    /** Runs {@code task} under the shard's lock after {@code delayMs}, unless the shard is unloaded by then. */
    public Timeout schedule(Runnable task, long delayMs) {
        return coordinator.timer().newTimeout(t -> {
            synchronized (this) {
                if (!unloaded) {
                    task.run();
                }
            }
        }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /**
     * Offsets of empty groups expire offsets.retention.minutes after the later of their commit and the group becoming
     * empty; an empty group left without offsets goes too.
     */
    synchronized void expireOffsets(long nowMs) {
        if (!loaded || unloaded) {
            return;
        }
        for (Group group : new ArrayList<>(groups.values())) {
            if (!group.isEmpty()) {
                continue;
            }
            String groupId = group.groupId();
            long emptySince = group.emptySinceMs();
            // As Kafka: an offset with a pending one in an open transaction stays, and so does the group.
            List<TopicPartition> expired = committedOffsets(groupId).entrySet().stream()
                    .filter(e -> Math.max(e.getValue().commitTimestamp(), emptySince) + config().offsetsRetentionMs() <= nowMs)
                    .map(Map.Entry::getKey)
                    .filter(tp -> !pending.isPending(groupId, tp))
                    .toList();
            boolean all = expired.size() == committedOffsets(groupId).size() && !pending.hasOpenTransactions(groupId);
            if (expired.isEmpty() && !all) {
                continue;
            }
            coordinator.offsetsExpired(expired.size());
            (all ? deleteGroup(groupId) : tombstoneOffsets(groupId, expired)).whenComplete((done, error) -> {
                if (error != null) {
                    log.warn("Cannot expire offsets of group {}: {}", groupId, error.getMessage());
                }
            });
        }
    }

    /** Rebuilds the state from the partition's log. */
    synchronized void load() {
        long end = PartitionReplay.replay(partition.log(), new KeyValueBatches.Visitor() {
            @Override
            public void record(long producerId, ByteBuffer key, ByteBuffer value) {
                replay(producerId, key, value);
            }

            @Override
            public void marker(long producerId, boolean commit) {
                endTransaction(producerId, commit);
            }
        });
        groups.values().forEach(g -> {
            if (g instanceof ClassicGroup classic) {
                classic.onLoaded();
            }
        });
        loaded = true;
        log.info("Loaded {} groups from {} up to offset {}", groups.size(), partition.topicPartition(), end);
    }

    /** One record in log order; {@code producerId} is the transaction's for offsets committed in one, else -1. */
    private void replay(long producerId, ByteBuffer key, ByteBuffer value) {
        short type = GroupRecords.type(key);
        String groupId = GroupRecords.groupId(key);
        if (type == GroupRecords.OFFSET_COMMIT) {
            TopicPartition tp = GroupRecords.offsetPartition(key);
            if (value == null) {
                removeOffsets(groupId, List.of(tp));
            } else if (producerId >= 0) {
                addPending(producerId, groupId, Map.of(tp, GroupRecords.readOffset(value)));
            } else {
                putOffsets(groupId, Map.of(tp, GroupRecords.readOffset(value)));
            }
        } else if (type == GroupRecords.GROUP_METADATA) {
            if (value == null) {
                groups.remove(groupId);
            } else {
                groups.put(groupId, ClassicGroup.fromRecord(groupId, this, value));
            }
        } else {
            GroupRecordReplayer replayer = coordinator.replayer(type);
            if (replayer == null) {
                log.warn("Skipping a record of unknown type {} for group {} in {}", type, groupId, partition.topicPartition());
            } else {
                replayer.replay(this, key, value);
            }
        }
    }

    /** Called when leadership goes: parked requests and pending writes fail with NOT_COORDINATOR, timers stop. */
    synchronized void unload() {
        unloaded = true;
        writer.close(new NotCoordinatorException("Partition " + partition.topicPartition() + " is no longer led here"));
        groups.values().forEach(Group::onUnload);
        groups.clear();
        offsets.clear();
        pending.clear();
    }
}
