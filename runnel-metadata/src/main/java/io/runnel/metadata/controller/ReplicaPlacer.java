package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Places replicas over the unfenced brokers as Kafka's rack-aware assignment does: the brokers are listed
 * alternating between racks (rack a's first, rack b's first, ..., rack a's second, ...), a partition's first
 * replica (its preferred leader) walks that list from a caller-chosen offset so that leaders spread out, and
 * its other replicas follow it in the list, skipping racks that already hold one while an unused rack remains.
 * Without racks this is plain round-robin; no broker ever holds two replicas of a partition.
 */
final class ReplicaPlacer {
    private final int[] brokers;
    private final String[] racks;

    ReplicaPlacer(Map<Integer, BrokerRegistration> registered) {
        Map<String, List<Integer>> byRack = new TreeMap<>();
        registered.values().stream().filter(b -> !b.fenced()).sorted(Comparator.comparingInt(BrokerRegistration::nodeId))
                .forEach(b -> byRack.computeIfAbsent(b.rack() == null ? "" : b.rack(), r -> new ArrayList<>())
                        .add(b.nodeId()));
        int count = byRack.values().stream().mapToInt(List::size).sum();
        this.brokers = new int[count];
        this.racks = new String[count];
        int next = 0;
        for (int round = 0; next < count; round++) {
            for (Map.Entry<String, List<Integer>> rack : byRack.entrySet()) {
                if (round < rack.getValue().size()) {
                    brokers[next] = rack.getValue().get(round);
                    racks[next++] = rack.getKey();
                }
            }
        }
    }

    int usableBrokers() {
        return brokers.length;
    }

    /** Replicas of partitions {@code firstPartition .. firstPartition + count - 1}; needs rf <= usableBrokers(). */
    List<int[]> place(int firstPartition, int count, int replicationFactor, int startOffset) {
        long rackCount = Arrays.stream(racks).distinct().count();
        List<int[]> placement = new ArrayList<>(count);
        for (int p = firstPartition; p < firstPartition + count; p++) {
            int first = Math.floorMod(startOffset + p, brokers.length);
            int[] replicas = new int[replicationFactor];
            boolean[] taken = new boolean[brokers.length];
            Set<String> usedRacks = new HashSet<>();
            for (int r = 0; r < replicationFactor; r++) {
                boolean preferNewRack = usedRacks.size() < rackCount;
                int chosen = -1;
                for (int step = 0; step < brokers.length && chosen < 0; step++) {
                    int i = (first + step) % brokers.length;
                    if (!taken[i] && (!preferNewRack || !usedRacks.contains(racks[i]))) {
                        chosen = i;
                    }
                }
                taken[chosen] = true;
                usedRacks.add(racks[chosen]);
                replicas[r] = brokers[chosen];
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
