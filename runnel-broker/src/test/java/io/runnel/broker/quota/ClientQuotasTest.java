package io.runnel.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

/** Kafka's quota precedence, per-client budgets under default quotas, and the throttle time, on a manual clock. */
class ClientQuotasTest {
    private static final QuotaWindow WINDOW = new QuotaWindow(11, 1000);

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicReference<Map<ClientQuotaEntity, Map<String, Double>>> configured =
            new AtomicReference<>(Map.of());
    private final ClientQuotas quotas = new ClientQuotas(ClientQuotas.PRODUCER_BYTE_RATE, configured::get, WINDOW,
            now::get);

    private static ClientQuotaEntity entity(String user, String clientId) {
        Map<String, String> entries = new HashMap<>();
        entries.put("user", user);
        entries.put("client-id", clientId);
        return new ClientQuotaEntity(entries);
    }

    private static ClientQuotaEntity user(String user) {
        return new ClientQuotaEntity(Collections.singletonMap("user", user));
    }

    private static ClientQuotaEntity client(String clientId) {
        return new ClientQuotaEntity(Collections.singletonMap("client-id", clientId));
    }

    private void set(Map<ClientQuotaEntity, Double> bounds) {
        Map<ClientQuotaEntity, Map<String, Double>> all = new HashMap<>();
        bounds.forEach((entity, bound) -> all.put(entity, Map.of(ClientQuotas.PRODUCER_BYTE_RATE, bound)));
        configured.set(Map.copyOf(all));
    }

    /** The bound that applies to the client: the most it may send in a window, over the window's seconds. */
    private double boundOf(String user, String clientId) {
        long max = quotas.maxPerWindow(user, clientId);
        return max == Long.MAX_VALUE ? -1 : max / 10.0;
    }

    @Test
    void theFirstOfKafkasEightEntitiesThatSetsTheQuotaApplies() {
        Map<ClientQuotaEntity, Double> bounds = new HashMap<>();
        bounds.put(client(null), 8.0);
        set(bounds);
        assertEquals(8, boundOf("alice", "app"));
        bounds.put(client("app"), 7.0);
        set(bounds);
        assertEquals(7, boundOf("alice", "app"));
        bounds.put(user(null), 6.0);
        set(bounds);
        assertEquals(6, boundOf("alice", "app"));
        bounds.put(entity(null, null), 5.0);
        set(bounds);
        assertEquals(5, boundOf("alice", "app"));
        bounds.put(entity(null, "app"), 4.0);
        set(bounds);
        assertEquals(4, boundOf("alice", "app"));
        bounds.put(user("alice"), 3.0);
        set(bounds);
        assertEquals(3, boundOf("alice", "app"));
        bounds.put(entity("alice", null), 2.0);
        set(bounds);
        assertEquals(2, boundOf("alice", "app"));
        bounds.put(entity("alice", "app"), 1.0);
        set(bounds);
        assertEquals(1, boundOf("alice", "app"));
        assertEquals(4, boundOf("bob", "app"), "bob has the default user's quota for app");
        assertEquals(5, boundOf("bob", "other"));
    }

    @Test
    void noQuotaMeansNoThrottleAndNoLimit() {
        assertEquals(0, quotas.record("alice", "app", 1e12));
        assertEquals(Long.MAX_VALUE, quotas.maxPerWindow("alice", "app"));
        set(Map.of(user("bob"), 100.0));
        assertEquals(0, quotas.record("alice", "app", 1e12), "a quota of another user does not apply");
    }

    @Test
    void aClientOverItsQuotaIsThrottledForAsLongAsBringsItsRateBackToTheQuota() {
        set(Map.of(user("alice"), 1000.0));
        // 10 s of budget at 1,000 bytes/s: a first burst is measured over the whole window.
        assertEquals(0, quotas.record("alice", "app", 10_000));
        // 500 bytes more: 10,500 over 10 s is 1,050/s, 5% over: 5% of the 10 s window.
        assertEquals(500, quotas.record("alice", "app", 500));
        // 1,010,500 bytes over 10 s is 101.05 times the quota: 1,000.5 s until the window's average is back to it.
        assertEquals(1_000_500, quotas.record("alice", "app", 1e6));
    }

    @Test
    void eachUserOfADefaultUserQuotaHasItsOwnBudgetAndAClientIdQuotaIsSharedByItsUsers() {
        set(Map.of(user(null), 1000.0));
        assertEquals(0, quotas.record("alice", "app", 10_000));
        assertEquals(0, quotas.record("bob", "app", 10_000), "bob's usage is not alice's");
        assertTrue(quotas.record("alice", "other", 1_000) > 0, "alice's budget is hers whatever her client id");

        set(Map.of(client("shared"), 1000.0));
        assertEquals(0, quotas.record("carol", "shared", 10_000));
        assertTrue(quotas.record("dave", "shared", 1_000) > 0, "a client-id quota is one budget for all its users");
    }

    @Test
    void usageAgesOutOfTheWindowAndAnUnrecordedFetchDoesNotCount() {
        set(Map.of(user("alice"), 1000.0));
        quotas.record("alice", "app", 10_000);
        quotas.unrecord("alice", "app", 10_000);
        assertEquals(0, quotas.record("alice", "app", 10_000), "what was taken back left room for as much again");
        assertTrue(quotas.record("alice", "app", 1_000) > 0);
        now.addAndGet(11_000);
        assertEquals(0, quotas.record("alice", "app", 5_000), "eleven seconds later the old samples no longer count");
    }
}
