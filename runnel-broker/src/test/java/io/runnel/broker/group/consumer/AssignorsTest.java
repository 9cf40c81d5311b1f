package io.runnel.broker.group.consumer;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignorsTest {
    private static final Uuid T1 = new Uuid(0, 1);
    private static final Uuid T2 = new Uuid(0, 2);

    private final UniformAssignor uniform = new UniformAssignor();

    @Test
    void uniformSpreadsPartitionsEvenlyAndDisjointly() {
        Map<String, Assignment> result = uniform.assign(subscribe(List.of("a", "b", "c"), Set.of(T1)), Map.of(T1, 6), Map.of());
        assertCoversExactlyOnce(result, Map.of(T1, 6));
        result.values().forEach(a -> assertEquals(2, a.size()));
    }

    @Test
    void uniformMovesOnlyWhatBalanceNeedsWhenAMemberJoins() {
        Map<String, Assignment> before = uniform.assign(subscribe(List.of("a", "b", "c"), Set.of(T1)), Map.of(T1, 6), Map.of());
        Map<String, Assignment> after = uniform.assign(subscribe(List.of("a", "b", "c", "d"), Set.of(T1)), Map.of(T1, 6), before);
        assertCoversExactlyOnce(after, Map.of(T1, 6));
        assertBalanced(after);
        assertEquals(1, moved(before, after), "one partition moves to the new member");
    }

    @Test
    void uniformKeepsTheRemainingMembersPartitionsWhenOneLeaves() {
        Map<String, Assignment> before = uniform.assign(subscribe(List.of("a", "b", "c"), Set.of(T1)), Map.of(T1, 6), Map.of());
        Map<String, Assignment> after = uniform.assign(subscribe(List.of("a", "b"), Set.of(T1)), Map.of(T1, 6), before);
        assertCoversExactlyOnce(after, Map.of(T1, 6));
        assertBalanced(after);
        for (String member : List.of("a", "b")) {
            assertTrue(after.get(member).partitions().get(T1).containsAll(before.get(member).partitions().get(T1)));
        }
    }

    @Test
    void uniformGivesEachPartitionToASubscriberWithHeterogeneousSubscriptions() {
        Map<String, Set<Uuid>> subscriptions = Map.of("a", Set.of(T1), "b", Set.of(T1, T2), "c", Set.of(T2));
        Map<String, Assignment> result = uniform.assign(subscriptions, Map.of(T1, 4, T2, 4), Map.of());
        assertCoversExactlyOnce(result, Map.of(T1, 4, T2, 4));
        result.forEach((member, a) -> assertTrue(subscriptions.get(member).containsAll(a.partitions().keySet())));
        result.values().forEach(a -> assertTrue(a.size() >= 2 && a.size() <= 3, "balanced: " + result));
    }

    @Test
    void rangeGivesContiguousRangesTheFirstMembersOneMore() {
        Map<String, Assignment> result = new RangeAssignor().assign(subscribe(List.of("b", "a", "c"), Set.of(T1, T2)),
                Map.of(T1, 7, T2, 3), Map.of());
        assertEquals(Set.of(0, 1, 2), result.get("a").partitions().get(T1));
        assertEquals(Set.of(3, 4), result.get("b").partitions().get(T1));
        assertEquals(Set.of(5, 6), result.get("c").partitions().get(T1));
        assertEquals(Set.of(0), result.get("a").partitions().get(T2));
        assertCoversExactlyOnce(result, Map.of(T1, 7, T2, 3));
    }

    private static Map<String, Set<Uuid>> subscribe(List<String> members, Set<Uuid> topics) {
        Map<String, Set<Uuid>> result = new HashMap<>();
        members.forEach(m -> result.put(m, topics));
        return result;
    }

    static void assertCoversExactlyOnce(Map<String, Assignment> assignments, Map<Uuid, Integer> partitionCounts) {
        Set<TopicPartitionId> seen = new HashSet<>();
        assignments.values().forEach(a -> a.partitions().forEach((topic, parts) ->
                parts.forEach(p -> assertTrue(seen.add(new TopicPartitionId(topic, p)), topic + "-" + p + " assigned twice"))));
        int total = partitionCounts.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(total, seen.size(), "every partition assigned: " + assignments);
    }

    private static void assertBalanced(Map<String, Assignment> assignments) {
        int min = assignments.values().stream().mapToInt(Assignment::size).min().orElseThrow();
        int max = assignments.values().stream().mapToInt(Assignment::size).max().orElseThrow();
        assertTrue(max - min <= 1, "balanced: " + assignments);
    }

    private static int moved(Map<String, Assignment> before, Map<String, Assignment> after) {
        int moved = 0;
        for (Map.Entry<String, Assignment> e : after.entrySet()) {
            moved += e.getValue().minus(before.getOrDefault(e.getKey(), Assignment.EMPTY)).size();
        }
        return moved;
    }
}
