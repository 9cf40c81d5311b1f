package io.runnel.metadata.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.PartitionRegistration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** Replicas 1, 2, 3 with min.insync.replicas 2, losing their brokers one by one and getting them back. */
class EligibleLeadersTest {
    private static final int[] REPLICAS = {1, 2, 3};
    private static final int NO_LEADER = PartitionChanges.NO_LEADER;

    @Test
    void theElrCollectsWhatLeavesABelowMinIsrAndAnElrMemberLeadsOnceTheIsrIsEmpty() {
        Map<Integer, BrokerRegistration> brokers = brokers(Set.of());
        // 3 leaves: the ISR stays at min.insync.replicas, nothing is eligible outside it.
        EligibleLeaders.State s = EligibleLeaders.apply(partition(new int[] {1, 2, 3}, new int[0], new int[0], 1),
                new int[] {1, 2}, 1, 2, brokers(Set.of(3)), Set.of());
        assertArrayEquals(new int[0], s.elr());
        // 2 leaves a below-min ISR: it holds every committed record.
        s = EligibleLeaders.apply(partition(new int[] {1, 2}, new int[0], new int[0], 1),
                new int[] {1}, 1, 2, brokers(Set.of(2, 3)), Set.of());
        assertArrayEquals(new int[] {2}, s.elr());
        // 1, the leader, goes: no ISR, no unfenced ELR member, the last leader remembered.
        s = EligibleLeaders.apply(partition(new int[] {1}, new int[] {2}, new int[0], 1),
                new int[0], NO_LEADER, 2, brokers(Set.of(1, 2, 3)), Set.of());
        assertEquals(NO_LEADER, s.leader());
        assertArrayEquals(new int[0], s.isr());
        assertArrayEquals(new int[] {2, 1}, s.elr());
        assertArrayEquals(new int[] {1}, s.lastKnownElr());
        // 2 comes back after a clean shutdown: it leads, alone in the ISR.
        s = EligibleLeaders.apply(partition(new int[0], new int[] {2, 1}, new int[] {1}, NO_LEADER),
                new int[0], NO_LEADER, 2, brokers(Set.of(1, 3)), Set.of());
        assertEquals(2, s.leader());
        assertArrayEquals(new int[] {2}, s.isr());
        assertArrayEquals(new int[] {1}, s.elr());
        assertArrayEquals(new int[0], s.lastKnownElr());
        // The ISR back at min.insync.replicas: the ELR is cleared.
        s = EligibleLeaders.apply(partition(new int[] {2}, new int[] {1}, new int[0], 2),
                new int[] {2, 1}, 2, 2, brokers, Set.of());
        assertArrayEquals(new int[0], s.elr());
    }

    @Test
    void aReplicaWhoseBrokerShutDownUncleanlyLeavesTheElrAndDoesNotLead() {
        EligibleLeaders.State s = EligibleLeaders.apply(partition(new int[0], new int[] {2, 1}, new int[] {1}, NO_LEADER),
                new int[0], NO_LEADER, 2, brokers(Set.of(1, 3)), Set.of(2));
        assertEquals(NO_LEADER, s.leader());
        assertArrayEquals(new int[] {1}, s.elr());
        assertArrayEquals(new int[] {1}, s.lastKnownElr());
    }

    private static PartitionRegistration partition(int[] isr, int[] elr, int[] lastKnownElr, int leader) {
        return new PartitionRegistration(REPLICAS, isr, leader, 5, 7, new int[0], new int[0], elr, lastKnownElr);
    }

    private static Map<Integer, BrokerRegistration> brokers(Set<Integer> fenced) {
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        for (int id : REPLICAS) {
            brokers.put(id, new BrokerRegistration(id, List.of(), null, fenced.contains(id), 1, Uuid.randomUuid()));
        }
        return brokers;
    }
}
