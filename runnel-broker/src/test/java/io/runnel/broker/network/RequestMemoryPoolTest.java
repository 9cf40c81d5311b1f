package io.runnel.broker.network;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestMemoryPoolTest {
    /** Records its grant; waits for it if it had to queue. */
    private static final class Recorded extends RequestMemoryPool.Reservation {
        final CompletableFuture<Void> grant = new CompletableFuture<>();
        final List<Recorded> order;

        Recorded(int bytes, List<Recorded> order) {
            super(bytes);
            this.order = order;
        }

        @Override
        void granted() {
            synchronized (order) {
                order.add(this);
            }
            grant.complete(null);
        }
    }

    private final List<Recorded> grants = new ArrayList<>();

    /** What the frame decoder does: reserve now, or queue. */
    private static boolean reserve(RequestMemoryPool pool, RequestMemoryPool.Reservation reservation) {
        if (pool.tryReserve(reservation.bytes)) {
            return true;
        }
        pool.enqueue(reservation);
        return false;
    }

    @Test
    void waitingReservationsAreGrantedInArrivalOrderAndLaterOnesDoNotOvertake() {
        RequestMemoryPool pool = new RequestMemoryPool(10);
        assertTrue(reserve(pool, new Recorded(8, grants)));
        Recorded large = new Recorded(5, grants);
        Recorded small = new Recorded(1, grants);
        assertFalse(reserve(pool, large));
        assertFalse(reserve(pool, small), "1 byte would fit, but a reservation waits before it");
        assertEquals(8, pool.reserved());
        assertEquals(2, pool.waiting());

        pool.release(8);
        assertEquals(List.of(large, small), grants);
        assertEquals(6, pool.reserved());
        assertEquals(0, pool.waiting());
    }

    @Test
    void aCancelledReservationIsSkippedAndHoldsNothing() {
        RequestMemoryPool pool = new RequestMemoryPool(10);
        assertTrue(reserve(pool, new Recorded(10, grants)));
        Recorded cancelled = new Recorded(6, grants);
        Recorded next = new Recorded(7, grants);
        assertFalse(reserve(pool, cancelled));
        assertFalse(reserve(pool, next));
        assertTrue(cancelled.cancel());

        pool.release(10);
        assertEquals(List.of(next), grants);
        assertEquals(7, pool.reserved());
        assertFalse(next.cancel(), "granted already: its holder releases it");
    }

    @Test
    void aReservationAsLargeAsTheCapacityIsGrantedOnceEverythingIsReleased() {
        RequestMemoryPool pool = new RequestMemoryPool(10);
        assertTrue(reserve(pool, new Recorded(3, grants)));
        assertTrue(reserve(pool, new Recorded(3, grants)));
        Recorded whole = new Recorded(10, grants);
        assertFalse(reserve(pool, whole));
        pool.release(3);
        assertTrue(grants.isEmpty());
        pool.release(3);
        assertEquals(List.of(whole), grants);
        assertEquals(10, pool.reserved());
    }

    @Test
    void concurrentReservationsNeverExceedTheCapacityAndAllAreGranted() throws Exception {
        long capacity = 1000;
        RequestMemoryPool pool = new RequestMemoryPool(capacity);
        AtomicLong highest = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        int bytes = ThreadLocalRandom.current().nextInt(1, (int) capacity + 1);
                        Recorded reservation = new Recorded(bytes, new ArrayList<>());
                        if (!reserve(pool, reservation)) {
                            reservation.grant.join();
                        }
                        highest.accumulateAndGet(pool.reserved(), Math::max);
                        pool.release(bytes);
                    }
                }, threads));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, pool.reserved());
        assertEquals(0, pool.waiting());
        assertTrue(highest.get() <= capacity, "at most the capacity was ever reserved, saw " + highest.get());
        assertTrue(highest.get() > 0);
    }
}
