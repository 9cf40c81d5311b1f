package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Places replicas round-robin over the unfenced brokers, starting at a caller-chosen offset so that leaders of
 * successive topics spread out; checks manual assignments against the registered brokers.
 */
final class ReplicaPlacer {
    private final int[] brokers;

    ReplicaPlacer(Map<Integer, BrokerRegistration> registered) {
        this.brokers = registered.values().stream().filter(b -> !b.fenced())
                .mapToInt(BrokerRegistration::nodeId).sorted().toArray();
    }

    int usableBrokers() {
        return brokers.length;
    }

    /** Replicas of partitions {@code firstPartition .. firstPartition + count - 1}; needs rf <= usableBrokers(). */
    List<int[]> place(int firstPartition, int count, int replicationFactor, int startOffset) {
        List<int[]> placement = new ArrayList<>(count);
        for (int p = firstPartition; p < firstPartition + count; p++) {
            int[] replicas = new int[replicationFactor];
            for (int r = 0; r < replicationFactor; r++) {
                replicas[r] = brokers[Math.floorMod(startOffset + p + r, brokers.length)];
            }
            placement.add(replicas);
        }
        return placement;
    }

    /** Why a manual assignment of one partition is unusable, or null if it is fine. */
    static String invalidAssignment(int partition, Collection<Integer> replicas, Map<Integer, BrokerRegistration> registered) {
        if (replicas == null || replicas.isEmpty()) {
            return "The manual partition assignment includes partition " + partition + " with no replicas.";
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer broker : replicas) {
            if (broker == null || !registered.containsKey(broker)) {
                return "The manual partition assignment includes broker " + broker + ", but no such broker is registered.";
            }
            if (!seen.add(broker)) {
                return "The manual partition assignment includes the broker " + broker + " more than once.";
            }
        }
        return null;
    }

    static int[] toArray(Collection<Integer> replicas) {
        return replicas.stream().mapToInt(Integer::intValue).toArray();
    }
}
