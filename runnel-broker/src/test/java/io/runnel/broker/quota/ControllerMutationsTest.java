package io.runnel.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

/** controller_mutation_rate as KIP-599's token bucket, strict and permissive, on a manual clock. */
class ControllerMutationsTest {
    private final AtomicLong now = new AtomicLong(5_000_000);
    /** Two partitions a second, over 2 windows of 1 s: a burst of 4 partitions. */
    private final ControllerMutations mutations = new ControllerMutations(() -> Map.of(
            new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, "admin")),
            Map.of(ControllerMutations.CONTROLLER_MUTATION_RATE, 2.0)), new QuotaWindow(2, 1000), now::get);

    @Test
    void aStrictRequestTakesTheBurstAndOneTopicBeyondThenIsRefusedUntilTheBucketRefills() {
        ControllerMutations.Request request = mutations.request("ANONYMOUS", "admin", true);
        assertTrue(request.tryTake(3));
        assertEquals(0, request.throttleMs());
        assertTrue(request.tryTake(3), "a topic that starts within the quota is accepted whole");
        assertEquals(1000, request.throttleMs(), "2 partitions over, at 2 a second");
        assertFalse(request.tryTake(1));
        assertEquals(1000, request.throttleMs(), "a refused topic takes nothing");

        now.addAndGet(1000);
        ControllerMutations.Request later = mutations.request("ANONYMOUS", "admin", true);
        assertEquals(0, later.throttleMs());
        assertTrue(later.tryTake(1));
    }

    @Test
    void aPermissiveRequestIsServedAndThrottledAndWhatFailedIsGivenBack() {
        ControllerMutations.Request request = mutations.request("ANONYMOUS", "admin", false);
        assertTrue(request.tryTake(4));
        assertTrue(request.tryTake(4), "an older client is never refused");
        assertEquals(2000, request.throttleMs());
        request.giveBack(4);
        assertEquals(0, request.throttleMs());
    }

    @Test
    void aClientWithoutAQuotaIsNeverLimited() {
        ControllerMutations.Request request = mutations.request("ANONYMOUS", "other", true);
        assertTrue(request.tryTake(1_000_000));
        assertTrue(request.tryTake(1));
        assertEquals(0, request.throttleMs());
    }
}
