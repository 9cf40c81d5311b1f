package io.runnel.broker.group;

import io.netty.util.Timeout;
import io.runnel.broker.protocol.KeyValueBatches;
import io.runnel.broker.replica.Partition;
import io.runnel.storage.LogSlice;
import io.runnel.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.InvalidCommitOffsetSizeException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The groups and committed offsets of one {@code __consumer_offsets} partition this broker leads, rebuilt by replaying
 * the partition when leadership arrives, and persisted there: every change is appended (acks=all) before it is
 * applied in memory and answered.
 *
 * <p>For part 2 (consumer groups): lock the shard ({@code synchronized (shard)}) around every use; find a group with
 * {@link #group}, add one with {@link #addGroup}; persist records with {@link #append} and replay them through a
 * {@link GroupRecordReplayer} registered on the {@link GroupCoordinator}; schedule timers with {@link #schedule};
 * committed offsets, their validation (through {@link Group#validateOffsetCommit}), expiry and deletion are done here.
 */
public final class GroupShard {
    private static final Logger log = LoggerFactory.getLogger(GroupShard.class);
    private static final int REPLAY_READ_BYTES = 1024 * 1024;

    private final Partition partition;
    private final GroupCoordinator coordinator;
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new HashMap<>();
    private volatile boolean loaded;
    private boolean unloaded;

    GroupShard(Partition partition, GroupCoordinator coordinator) {
        this.partition = partition;
        this.coordinator = coordinator;
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
        if (groups.get(groupId) instanceof ClassicGroup classic && classic.isUnused() && !offsets.containsKey(groupId)) {
            groups.remove(groupId);
        }
    }

    /** The committed offsets of a group (empty if none); a view, read it under the shard's lock. */
    public Map<TopicPartition, CommittedOffset> committedOffsets(String groupId) {
        return offsets.getOrDefault(groupId, Map.of());
    }

    /** Persists then applies the commits; a group not yet known is created Empty, as Kafka's simple commits do. */
    public void commitOffsets(String groupId, Map<TopicPartition, CommittedOffset> commits) {
        if (commits.isEmpty()) {
            return;
        }
        List<ByteBuffer> keys = new ArrayList<>(commits.size());
        List<ByteBuffer> values = new ArrayList<>(commits.size());
        commits.forEach((tp, offset) -> {
            keys.add(GroupRecords.offsetKey(groupId, tp));
            values.add(GroupRecords.offsetValue(offset));
        });
        append(keys, values);
        groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, this));
        offsets.computeIfAbsent(groupId, g -> new LinkedHashMap<>()).putAll(commits);
    }

    /** Persists tombstones for the offsets, then forgets them. */
    public void deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        Map<TopicPartition, CommittedOffset> committed = offsets.get(groupId);
        if (committed == null) {
            return;
        }
        List<ByteBuffer> keys = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (committed.containsKey(tp)) {
                keys.add(GroupRecords.offsetKey(groupId, tp));
                values.add(null);
            }
        }
        if (!keys.isEmpty()) {
            append(keys, values);
            partitions.forEach(committed::remove);
            if (committed.isEmpty()) {
                offsets.remove(groupId);
            }
        }
    }

    /** Removes an (empty) group and its offsets: tombstones for the offsets, then for the group's own records. */
    public void deleteGroup(String groupId) {
        Group group = groups.get(groupId);
        List<ByteBuffer> keys = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        committedOffsets(groupId).keySet().forEach(tp -> {
            keys.add(GroupRecords.offsetKey(groupId, tp));
            values.add(null);
        });
        if (group != null) {
            group.tombstoneKeys().forEach(k -> {
                keys.add(k);
                values.add(null);
            });
        }
        if (!keys.isEmpty()) {
            append(keys, values);
        }
        offsets.remove(groupId);
        if (group != null) {
            groups.remove(groupId);
            group.onUnload();
        }
    }

    /**
     * Appends records (a null value is a tombstone) to the partition as one batch, refused under
     * {@code min.insync.replicas}; returns once this leader has appended them, which on a replicated partition is
     * before the followers have them. Failures are the errors Kafka's coordinator gives for a failed write.
     */
    public void append(List<ByteBuffer> keys, List<ByteBuffer> values) {
        if (unloaded) {
            throw new NotCoordinatorException("Partition " + partition.topicPartition() + " is no longer led here");
        }
        try {
            partition.appendAsLeader(KeyValueBatches.build(System.currentTimeMillis(), keys, values), (short) -1);
        } catch (RecordTooLargeException | RecordBatchTooLargeException e) {
            throw new InvalidCommitOffsetSizeException("The commit is too large for " + partition.topicPartition());
        } catch (ApiException e) {
            throw new CoordinatorNotAvailableException("Cannot write to " + partition.topicPartition() + ": " + e.getMessage());
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
            List<TopicPartition> expired = committedOffsets(groupId).entrySet().stream()
                    .filter(e -> Math.max(e.getValue().commitTimestamp(), emptySince) + config().offsetsRetentionMs() <= nowMs)
                    .map(Map.Entry::getKey)
                    .toList();
            try {
                deleteOffsets(groupId, expired);
                if (committedOffsets(groupId).isEmpty()) {
                    deleteGroup(groupId);
                }
            } catch (ApiException e) {
                log.warn("Cannot expire offsets of group {}: {}", groupId, e.getMessage());
            }
        }
    }

    /** Rebuilds the state from the partition's log. */
    synchronized void load() {
        PartitionLog partitionLog = partition.log();
        long offset = partitionLog.logStartOffset();
        long end = partitionLog.logEndOffset();
        while (offset < end) {
            LogSlice slice = partitionLog.read(offset, REPLAY_READ_BYTES, end, true);
            if (slice.size() == 0) {
                break;
            }
            long next = KeyValueBatches.forEachRecord(readFully(slice), this::replay);
            if (next <= offset) {
                break;
            }
            offset = next;
        }
        groups.values().forEach(g -> {
            if (g instanceof ClassicGroup classic) {
                classic.onLoaded();
            }
        });
        loaded = true;
        log.info("Loaded {} groups from {} up to offset {}", groups.size(), partition.topicPartition(), end);
    }

    private void replay(ByteBuffer key, ByteBuffer value) {
        short type = GroupRecords.type(key);
        String groupId = GroupRecords.groupId(key);
        if (type == GroupRecords.OFFSET_COMMIT) {
            TopicPartition tp = GroupRecords.offsetPartition(key);
            if (value == null) {
                Map<TopicPartition, CommittedOffset> committed = offsets.get(groupId);
                if (committed != null && committed.remove(tp) != null && committed.isEmpty()) {
                    offsets.remove(groupId);
                }
            } else {
                offsets.computeIfAbsent(groupId, g -> new LinkedHashMap<>()).put(tp, GroupRecords.readOffset(value));
                groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, this));
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

    /** Called when leadership goes: parked requests fail with NOT_COORDINATOR, timers stop. */
    synchronized void unload() {
        unloaded = true;
        groups.values().forEach(Group::onUnload);
        groups.clear();
        offsets.clear();
    }

    private static ByteBuffer readFully(LogSlice slice) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        try {
            long position = slice.position();
            while (buffer.hasRemaining()) {
                int n = slice.channel().read(buffer, position);
                if (n < 0) {
                    break;
                }
                position += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.flip();
    }
}
