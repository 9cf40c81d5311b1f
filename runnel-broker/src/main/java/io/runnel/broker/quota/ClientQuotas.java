package io.runnel.broker.quota;

import io.runnel.broker.quota.QuotaResolver.Client;
import io.runnel.broker.quota.QuotaResolver.Quota;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * A rate client quota ({@code producer_byte_rate}, {@code consumer_byte_rate}, {@code request_percentage}) enforced
 * as Kafka enforces it: the quota that applies ({@link QuotaResolver}) is measured over a {@link QuotaWindow}, and a
 * client above it is throttled for as long as brings its rate over the window back to the quota (for the request
 * time quota, at most one sample window, as Kafka bounds it).
 */
public final class ClientQuotas {
    public static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    public static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    public static final String REQUEST_PERCENTAGE = "request_percentage";
    private static final long IDLE_MS = 3_600_000;

    private final QuotaResolver resolver;
    private final QuotaWindow window;
    private final LongSupplier clockMs;
    private final long maxThrottleMs;
    private final Map<Client, Sensor> sensors = new ConcurrentHashMap<>();

    /** A measured client's usage and its throttled requests. */
    private record Sensor(WindowedRate rate, ThrottleQueue throttle) {
    }

    /**
     * @param key        the quota enforced, as {@code AlterClientQuotas} names it
     * @param configured the quotas set in the metadata image, read on every request (an immutable map)
     */
    public ClientQuotas(String key, Supplier<Map<ClientQuotaEntity, Map<String, Double>>> configured,
                        QuotaWindow window, LongSupplier clockMs) {
        this(key, configured, window, clockMs, Integer.MAX_VALUE);
    }

    private ClientQuotas(String key, Supplier<Map<ClientQuotaEntity, Map<String, Double>>> configured,
                         QuotaWindow window, LongSupplier clockMs, long maxThrottleMs) {
        this.resolver = new QuotaResolver(key, configured);
        this.window = window;
        this.clockMs = clockMs;
        this.maxThrottleMs = maxThrottleMs;
    }

    /** {@code request_percentage}: the time spent on a client's requests, in percent of one thread. */
    public static ClientQuotas requestPercentage(Supplier<Map<ClientQuotaEntity, Map<String, Double>>> configured,
                                                 QuotaWindow window, LongSupplier clockMs) {
        return new ClientQuotas(REQUEST_PERCENTAGE, configured, window, clockMs, window.sampleMs());
    }

    /**
     * Records {@code value} (bytes, or percent of a thread's second) used by the client; returns how long to throttle
     * it, 0 when it is within its quota or has none.
     */
    public int record(String user, String clientId, double value) {
        Quota quota = resolver.quotaOf(user, clientId);
        if (quota == null) {
            return 0;
        }
        long now = clockMs.getAsLong();
        Sensor sensor = sensor(quota.measured(), now);
        WindowedRate rate = sensor.rate();
        rate.record(value, now);
        double perSecond = rate.perSecond(now);
        if (perSecond <= quota.bound()) {
            return 0;
        }
        int throttleMs = (int) Math.min((perSecond - quota.bound()) / quota.bound() * rate.windowMs(now),
                maxThrottleMs);
        sensor.throttle().throttledUntil(now + throttleMs);
        return throttleMs;
    }

    /**
     * Runs {@code request} (which records the client's usage) at once, or, while the client is throttled by a
     * throttle time already given or has requests waiting, after them and once the throttle has passed: a request
     * sent before the throttled response arrived (pipelined) waits, in order, as Kafka reads a connection's next
     * request only once the throttle of the previous one has passed.
     */
    public <T> CompletableFuture<T> afterThrottle(String user, String clientId, Supplier<CompletableFuture<T>> request) {
        Quota quota = resolver.quotaOf(user, clientId);
        if (quota == null) {
            return request.get();
        }
        long now = clockMs.getAsLong();
        return sensor(quota.measured(), now).throttle().afterThrottle(clockMs, request);
    }

    /** Takes back {@code value} recorded for a request that is answered without it (a throttled fetch). */
    public void unrecord(String user, String clientId, double value) {
        Quota quota = resolver.quotaOf(user, clientId);
        if (quota != null) {
            long now = clockMs.getAsLong();
            sensor(quota.measured(), now).rate().record(-value, now);
        }
    }

    /** The most the client may use in one quota window; {@code Long.MAX_VALUE} when it has no quota. */
    public long maxPerWindow(String user, String clientId) {
        Quota quota = resolver.quotaOf(user, clientId);
        return quota == null ? Long.MAX_VALUE
                : (long) (quota.bound() * (window.samples() - 1) * window.sampleMs() / 1000.0);
    }

    private Sensor sensor(Client client, long now) {
        if (sensors.size() > QuotaResolver.MAX_CLIENTS) {
            sensors.values().removeIf(sensor -> now - sensor.rate().lastRecordMs() > IDLE_MS);
        }
        return sensors.computeIfAbsent(client, c -> new Sensor(
                new WindowedRate(window.samples(), window.sampleMs(), now), new ThrottleQueue()));
    }
}
