package io.runnel.broker.quota;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * One client quota ({@code producer_byte_rate}, {@code consumer_byte_rate}, ...) enforced as Kafka enforces it: the
 * quota of a (user, client id) is the first of eight entities that sets it (user and client id, user and default
 * client id, user, default user and client id, default user and default client id, default user, client id, default
 * client id); usage is measured per client of that entity (each user of a default user quota has its own budget) over
 * a {@link QuotaWindow}, and a client above its quota is throttled for as long as brings its rate over the window back
 * to the quota.
 */
public final class ClientQuotas {
    public static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    public static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    /** Resolutions and sensors kept before idle ones are dropped. */
    private static final int MAX_CLIENTS = 10_000;
    private static final long IDLE_MS = 3_600_000;

    private final String key;
    private final Supplier<Map<ClientQuotaEntity, Map<String, Double>>> configured;
    private final QuotaWindow window;
    private final LongSupplier clockMs;
    private final Map<Client, Sensor> sensors = new ConcurrentHashMap<>();
    private volatile Resolutions resolutions = new Resolutions(Map.of());

    /** Whose usage a sensor measures: an empty part is not part of the quota's entity. */
    private record Client(String user, String clientId) {
    }

    private record Quota(Client sensor, double bound) {
    }

    /** A measured client's usage and its throttled requests. */
    private record Sensor(WindowedRate rate, ThrottleQueue throttle) {
    }

    /** Each client's quota, as of one version of the configured quotas. */
    private record Resolutions(Map<ClientQuotaEntity, Map<String, Double>> from,
                               Map<Client, Optional<Quota>> byClient) {
        Resolutions(Map<ClientQuotaEntity, Map<String, Double>> from) {
            this(from, new ConcurrentHashMap<>());
        }
    }

    /**
     * @param key        the quota enforced, as {@code AlterClientQuotas} names it
     * @param configured the quotas set in the metadata image, read on every request (an immutable map)
     */
    public ClientQuotas(String key, Supplier<Map<ClientQuotaEntity, Map<String, Double>>> configured,
                        QuotaWindow window, LongSupplier clockMs) {
        this.key = key;
        this.configured = configured;
        this.window = window;
        this.clockMs = clockMs;
    }

    /**
     * Records {@code value} (bytes, a percentage of time, partitions) used by the client; returns how long to throttle
     * it, 0 when it is within its quota or has none.
     */
    public int record(String user, String clientId, double value) {
        Quota quota = quotaOf(user, clientId);
        if (quota == null) {
            return 0;
        }
        long now = clockMs.getAsLong();
        Sensor sensor = sensor(quota.sensor(), now);
        WindowedRate rate = sensor.rate();
        rate.record(value, now);
        double perSecond = rate.perSecond(now);
        if (perSecond <= quota.bound()) {
            return 0;
        }
        int throttleMs = (int) Math.min((perSecond - quota.bound()) / quota.bound() * rate.windowMs(now),
                Integer.MAX_VALUE);
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
        Quota quota = quotaOf(user, clientId);
        if (quota == null) {
            return request.get();
        }
        long now = clockMs.getAsLong();
        return sensor(quota.sensor(), now).throttle().afterThrottle(clockMs, request);
    }

    /** Takes back {@code value} recorded for a request that is answered without it (a throttled fetch). */
    public void unrecord(String user, String clientId, double value) {
        Quota quota = quotaOf(user, clientId);
        if (quota != null) {
            long now = clockMs.getAsLong();
            sensor(quota.sensor(), now).rate().record(-value, now);
        }
    }

    /** The most the client may use in one quota window; {@code Long.MAX_VALUE} when it has no quota. */
    public long maxPerWindow(String user, String clientId) {
        Quota quota = quotaOf(user, clientId);
        return quota == null ? Long.MAX_VALUE
                : (long) (quota.bound() * (window.samples() - 1) * window.sampleMs() / 1000.0);
    }

    private Sensor sensor(Client client, long now) {
        if (sensors.size() > MAX_CLIENTS) {
            sensors.values().removeIf(sensor -> now - sensor.rate().lastRecordMs() > IDLE_MS);
        }
        return sensors.computeIfAbsent(client, c -> new Sensor(
                new WindowedRate(window.samples(), window.sampleMs(), now), new ThrottleQueue()));
    }

    private Quota quotaOf(String user, String clientId) {
        Map<ClientQuotaEntity, Map<String, Double>> quotas = configured.get();
        if (quotas.isEmpty()) {
            return null;
        }
        Resolutions current = resolutions;
        if (current.from() != quotas || current.byClient().size() > MAX_CLIENTS) {
            current = new Resolutions(quotas);
            resolutions = current;
        }
        return current.byClient().computeIfAbsent(new Client(user, clientId), c -> resolve(quotas, user, clientId))
                .orElse(null);
    }

    private Optional<Quota> resolve(Map<ClientQuotaEntity, Map<String, Double>> quotas, String user, String clientId) {
        Client both = new Client(user, clientId);
        Client userOnly = new Client(user, "");
        Client clientOnly = new Client("", clientId);
        List<Map.Entry<ClientQuotaEntity, Client>> candidates = List.of(
                Map.entry(entity(user, clientId), both),
                Map.entry(entity(user, null), both),
                Map.entry(entity(user), userOnly),
                Map.entry(entity(null, clientId), both),
                Map.entry(entity(null, null), both),
                Map.entry(entity((String) null), userOnly),
                Map.entry(clientEntity(clientId), clientOnly),
                Map.entry(clientEntity(null), clientOnly));
        for (Map.Entry<ClientQuotaEntity, Client> candidate : candidates) {
            Double bound = quotas.getOrDefault(candidate.getKey(), Map.of()).get(key);
            if (bound != null) {
                return Optional.of(new Quota(candidate.getValue(), bound));
            }
        }
        return Optional.empty();
    }

    private static ClientQuotaEntity entity(String user, String clientId) {
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.USER, user);
        entries.put(ClientQuotaEntity.CLIENT_ID, clientId);
        return new ClientQuotaEntity(entries);
    }

    private static ClientQuotaEntity entity(String user) {
        return new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.USER, user));
    }

    private static ClientQuotaEntity clientEntity(String clientId) {
        return new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, clientId));
    }
}
