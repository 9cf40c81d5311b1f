package io.runnel.broker.network;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Counts the broker's connections against its {@link ConnectionLimits}, per connection and without locks. A slot
 * (broker-wide and listener count) is taken before the address count, as in Kafka: a listener without a slot stops
 * accepting until one is released, a connection past its address's limit is closed.
 */
final class ConnectionQuotas {
    /** Replaced whole when the limits change at run time; read without locks on the event loops. */
    private volatile ConnectionLimits limits;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> perListener;
    /** Count per address; a count retired at zero is -1, so that a racing acquire takes a fresh one. */
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final List<ConnectionAdmission> admissions = new CopyOnWriteArrayList<>();

    ConnectionQuotas(ConnectionLimits limits, List<String> listeners) {
        this.limits = limits;
        this.perListener = listeners.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), l -> new AtomicInteger()));
    }

    /** Registers a listener's admission, to be woken when a slot is released. */
    void register(ConnectionAdmission admission) {
        admissions.add(admission);
    }

    ConnectionLimits limits() {
        return limits;
    }

    /**
     * Applies new limits to connections admitted from now on; those already admitted stay, as in Kafka. Listeners
     * waiting for a slot try again, so that a raised limit lets them accept.
     */
    void updateLimits(ConnectionLimits newLimits) {
        limits = newLimits;
        admissions.forEach(ConnectionAdmission::slotReleased);
    }

    /** Takes a slot on {@code listener} if both its limit and the broker-wide one allow. */
    boolean tryAcquireSlot(String listener) {
        AtomicInteger listenerCount = perListener.get(listener);
        ConnectionLimits limits = this.limits;
        if (!incrementBelow(listenerCount, limits.maxConnections(listener))) {
            return false;
        }
        if (exemptFromBrokerLimit(listener)) {
            total.incrementAndGet();
        } else if (!incrementBelow(total, limits.maxConnections())) {
            listenerCount.decrementAndGet();
            return false;
        }
        return true;
    }

    void releaseSlot(String listener) {
        perListener.get(listener).decrementAndGet();
        total.decrementAndGet();
        admissions.forEach(ConnectionAdmission::slotReleased);
    }

    /** Counts one more connection from {@code address} unless it has its maximum already. */
    boolean tryAcquireAddress(InetAddress address) {
        int limit = limits.maxConnectionsPerIp(address);
        while (true) {
            AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
            int current = count.get();
            if (current < 0) {
                perAddress.remove(address, count);
            } else if (current >= limit) {
                return false;
            } else if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void releaseAddress(InetAddress address) {
        AtomicInteger count = perAddress.get(address);
        if (count.decrementAndGet() == 0 && count.compareAndSet(0, -1)) {
            perAddress.remove(address, count);
        }
    }

    int maxConnectionsPerIp(InetAddress address) {
        return limits.maxConnectionsPerIp(address);
    }

    /** Connections admitted and not yet closed, on every listener. */
    int connections() {
        return total.get();
    }

    /** Accepted connections waiting for a slot, on every listener. */
    int waitingForSlot() {
        return admissions.stream().mapToInt(ConnectionAdmission::waitingCount).sum();
    }

    int connections(String listener) {
        return perListener.get(listener).get();
    }

    private boolean exemptFromBrokerLimit(String listener) {
        return listener.equals(limits.interBrokerListenerName()) && perListener.size() > 1;
    }

    private static boolean incrementBelow(AtomicInteger count, int limit) {
        int current;
        do {
            current = count.get();
            if (current >= limit) {
                return false;
            }
        } while (!count.compareAndSet(current, current + 1));
        return true;
    }
}
