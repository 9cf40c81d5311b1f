package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When the active controller last heard from each broker. Only the active controller keeps sessions: a new one
 * starts every broker's session afresh (as Kafka's does), so a broker is fenced only after a full
 * {@code broker.session.timeout.ms} of silence seen by the controller that writes the fencing.
 */
final class BrokerSessions {
    private final long sessionTimeoutNanos;
    private final LongSupplier nanoClock;
    private final Map<Integer, Long> lastContact = new ConcurrentHashMap<>();

    BrokerSessions(long sessionTimeoutMs, LongSupplier nanoClock) {
        this.sessionTimeoutNanos = sessionTimeoutMs * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    void touch(int broker) {
        lastContact.put(broker, nanoClock.getAsLong());
    }

    /** Whether {@code broker} was heard from within the session timeout. */
    boolean alive(int broker) {
        Long contact = lastContact.get(broker);
        return contact != null && nanoClock.getAsLong() - contact <= sessionTimeoutNanos;
    }

    /** The lowest-numbered unfenced broker whose session expired; a broker not yet seen starts its session now. */
    OptionalInt firstExpired(MetadataImage image) {
        long now = nanoClock.getAsLong();
        return image.brokers().values().stream().filter(b -> !b.fenced()).mapToInt(BrokerRegistration::nodeId)
                .sorted()
                .filter(id -> now - lastContact.computeIfAbsent(id, ignored -> now) > sessionTimeoutNanos)
                .findFirst();
    }

    /** Forgets every session: this node stopped being the active controller. */
    void clear() {
        lastContact.clear();
    }
}
