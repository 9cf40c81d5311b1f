package io.runnel.broker.group;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The offsets committed in open transactions (TxnOffsetCommit) of one shard, per producer, until the marker ending the
 * producer's transaction applies them (commit) or drops them (abort), as Kafka's group coordinator keeps them. They
 * change in log order, as the committed offsets do. Read and written under the shard's lock.
 */
final class PendingTxnOffsets {
    /**
     * A pending offset. It is superseded once a plain commit of the same partition follows it in the log: its
     * transaction's commit then leaves that later offset in place (Kafka keeps the offset of the later record).
     */
    private static final class Pending {
        final CommittedOffset offset;
        boolean superseded;

        Pending(CommittedOffset offset) {
            this.offset = offset;
        }
    }

    private final Map<Long, Map<String, Map<TopicPartition, Pending>>> byProducer = new HashMap<>();
    private final Map<String, Set<Long>> producersByGroup = new HashMap<>();

    /** The producer's transaction committed these offsets of the group (the record is committed in the log). */
    void add(long producerId, String groupId, Map<TopicPartition, CommittedOffset> offsets) {
        Map<TopicPartition, Pending> group = byProducer.computeIfAbsent(producerId, p -> new HashMap<>())
                .computeIfAbsent(groupId, g -> new LinkedHashMap<>());
        offsets.forEach((tp, offset) -> group.put(tp, new Pending(offset)));
        producersByGroup.computeIfAbsent(groupId, g -> new HashSet<>()).add(producerId);
    }

    /** A plain commit of these partitions of the group follows every pending offset of them. */
    void supersede(String groupId, Collection<TopicPartition> partitions) {
        forEachOpen(groupId, offsets -> partitions.forEach(tp -> {
            Pending pending = offsets.get(tp);
            if (pending != null) {
                pending.superseded = true;
            }
        }));
    }

    /** Tombstones of these partitions of the group: their pending offsets go, as Kafka's replay of a tombstone does. */
    void remove(String groupId, Collection<TopicPartition> partitions) {
        forEachOpen(groupId, offsets -> partitions.forEach(offsets::remove));
    }

    /**
     * Ends the producer's transaction: returns, by group, the offsets its commit applies (none for an abort, nor
     * superseded ones), and forgets them all.
     */
    Map<String, Map<TopicPartition, CommittedOffset>> end(long producerId, boolean commit) {
        Map<String, Map<TopicPartition, Pending>> pending = byProducer.remove(producerId);
        Map<String, Map<TopicPartition, CommittedOffset>> applied = new LinkedHashMap<>();
        if (pending == null) {
            return applied;
        }
        pending.forEach((groupId, offsets) -> {
            Set<Long> producers = producersByGroup.get(groupId);
            producers.remove(producerId);
            if (producers.isEmpty()) {
                producersByGroup.remove(groupId);
            }
            if (commit) {
                offsets.forEach((tp, p) -> {
                    if (!p.superseded) {
                        applied.computeIfAbsent(groupId, g -> new LinkedHashMap<>()).put(tp, p.offset);
                    }
                });
            }
        });
        return applied;
    }

    /** True if an open transaction committed an offset of this partition of the group. */
    boolean isPending(String groupId, TopicPartition tp) {
        return partitions(groupId).contains(tp);
    }

    /** The partitions of the group with offsets in open transactions. */
    Set<TopicPartition> partitions(String groupId) {
        Set<TopicPartition> partitions = new HashSet<>();
        forEachOpen(groupId, offsets -> partitions.addAll(offsets.keySet()));
        return partitions;
    }

    /** True while a transaction that committed offsets of the group is open. */
    boolean hasOpenTransactions(String groupId) {
        return producersByGroup.containsKey(groupId);
    }

    void clear() {
        byProducer.clear();
        producersByGroup.clear();
    }

    private void forEachOpen(String groupId, Consumer<Map<TopicPartition, Pending>> action) {
        for (long producerId : producersByGroup.getOrDefault(groupId, Set.of())) {
            Map<TopicPartition, Pending> offsets = byProducer.get(producerId).get(groupId);
            if (offsets != null) {
                action.accept(offsets);
            }
        }
    }
}
