package io.runnel.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.BrokerRegistration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class ReplicaPlacerTest {
    private static Map<Integer, BrokerRegistration> brokers(String... racks) {
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        for (int i = 0; i < racks.length; i++) {
            brokers.put(i + 1, new BrokerRegistration(i + 1, List.of(), racks[i], false, 1, Uuid.randomUuid()));
        }
        return brokers;
    }

    @Test
    void everyPartitionSpansAsManyRacksAsItCanAndLeadersSpreadEvenly() {
        // Brokers 1-2 in rack a, 3-4 in b, 5-6 in c: listed alternating a, b, c, a, b, c.
        ReplicaPlacer placer = new ReplicaPlacer(brokers("a", "a", "b", "b", "c", "c"));
        Map<Integer, String> rackOf = Map.of(1, "a", 2, "a", 3, "b", 4, "b", 5, "c", 6, "c");
        List<int[]> placement = placer.place(0, 12, 3, 0);
        Map<Integer, Long> leaders = placement.stream().collect(Collectors.groupingBy(r -> r[0], Collectors.counting()));
        assertEquals(Map.of(1, 2L, 2, 2L, 3, 2L, 4, 2L, 5, 2L, 6, 2L), leaders);
        for (int[] replicas : placement) {
            Set<String> racks = Arrays.stream(replicas).mapToObj(rackOf::get).collect(Collectors.toSet());
            assertEquals(Set.of("a", "b", "c"), racks, Arrays.toString(replicas));
        }
    }

    @Test
    void moreReplicasThanRacksStillUseDistinctBrokers() {
        ReplicaPlacer placer = new ReplicaPlacer(brokers("a", "a", "b"));
        for (int[] replicas : placer.place(0, 6, 3, 1)) {
            assertEquals(3, Arrays.stream(replicas).distinct().count());
            assertEquals(Set.of(1, 2, 3), Arrays.stream(replicas).boxed().collect(Collectors.toSet()));
        }
    }

    @Test
    void withoutRacksPlacementIsRoundRobin() {
        ReplicaPlacer placer = new ReplicaPlacer(brokers(null, null, null));
        assertArrayEquals(new int[] {2, 3, 1}, placer.place(0, 1, 3, 1).get(0));
        assertArrayEquals(new int[] {3, 1}, placer.place(1, 1, 2, 1).get(0));
    }
}
