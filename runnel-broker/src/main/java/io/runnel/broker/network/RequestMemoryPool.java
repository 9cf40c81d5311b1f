package io.runnel.broker.network;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker-wide bound on request bytes in flight ({@code queued.max.request.bytes}): a frame's size is reserved
 * when its size prefix is read and returned when the frame is released, so the reserved total never exceeds the
 * capacity. A reservation that does not fit waits in arrival order and is granted, on whatever thread releases
 * memory, as soon as it fits; while anyone waits, later reservations queue behind them, so a large frame is not
 * starved by a stream of small ones. Lock-free: an atomic counter and a lock-free queue.
 */
final class RequestMemoryPool {
    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();
    private final Queue<Reservation> waiting = new ConcurrentLinkedQueue<>();
    /** Serialises granting without a lock: whoever raises it from 0 grants, others only ask for another pass. */
    private final AtomicInteger grantPasses = new AtomicInteger();

    /** @param capacity the bound in bytes; {@link Long#MAX_VALUE} for none (reservations are still counted) */
    RequestMemoryPool(long capacity) {
        this.capacity = capacity;
    }

    /** A queued request for {@code bytes}, granted through {@link #granted()}. */
    abstract static class Reservation {
        private static final int WAITING = 0;
        private static final int GRANTED = 1;
        private static final int CANCELLED = 2;

        final int bytes;
        private final AtomicInteger state = new AtomicInteger(WAITING);

        Reservation(int bytes) {
            this.bytes = bytes;
        }

        /** Called once, on the thread that granted it, when a reservation that had to wait now holds its bytes. */
        abstract void granted();

        /** Withdraws a waiting reservation; false when it was granted already, and its bytes must be released. */
        final boolean cancel() {
            return state.compareAndSet(WAITING, CANCELLED);
        }
    }

    long capacity() {
        return capacity;
    }

    /** Bytes reserved now. */
    long reserved() {
        return reserved.get();
    }

    /** Reservations waiting for memory now. */
    int waiting() {
        return (int) waiting.stream().filter(r -> r.state.get() == Reservation.WAITING).count();
    }

    /** Reserves {@code bytes} now if they fit and nobody waits. */
    boolean tryReserve(int bytes) {
        return waiting.isEmpty() && reserveIfFits(bytes);
    }

    /**
     * Queues a reservation that {@link #tryReserve} could not make; {@link Reservation#granted()} is called once it
     * holds its bytes, possibly before this method returns.
     */
    void enqueue(Reservation reservation) {
        waiting.add(reservation);
        grantWaiting();
    }

    void release(int bytes) {
        reserved.addAndGet(-bytes);
        if (!waiting.isEmpty()) {
            grantWaiting();
        }
    }

    private boolean reserveIfFits(int bytes) {
        long current;
        do {
            current = reserved.get();
            if (current + bytes > capacity) {
                return false;
            }
        } while (!reserved.compareAndSet(current, current + bytes));
        return true;
    }

    /** Grants waiting reservations in order while the head fits; one thread at a time, repeated if asked meanwhile. */
    private void grantWaiting() {
        if (grantPasses.getAndIncrement() != 0) {
            return;
        }
        int passes = 1;
        do {
            Reservation head;
            while ((head = waiting.peek()) != null) {
                if (head.state.get() == Reservation.CANCELLED) {
                    waiting.poll();
                    continue;
                }
                if (!reserveIfFits(head.bytes)) {
                    break;
                }
                waiting.poll();
                if (head.state.compareAndSet(Reservation.WAITING, Reservation.GRANTED)) {
                    head.granted();
                } else {
                    reserved.addAndGet(-head.bytes); // cancelled while being granted
                }
            }
            passes = grantPasses.addAndGet(-passes);
        } while (passes != 0);
    }
}
