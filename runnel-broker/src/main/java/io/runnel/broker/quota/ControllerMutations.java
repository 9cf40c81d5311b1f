package io.runnel.broker.quota;

import io.runnel.broker.quota.QuotaResolver.Client;
import io.runnel.broker.quota.QuotaResolver.Quota;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * {@code controller_mutation_rate} (KIP-599): the partitions a client creates (CreateTopics, CreatePartitions) or
 * deletes (DeleteTopics) a second, a {@link TokenBucket} per client holding {@code quota × quota.window.num ×
 * quota.window.size.seconds} at most. A request of a version that knows THROTTLING_QUOTA_EXCEEDED is strict: its
 * topics are refused with it while the client is over its quota (a topic that starts within it is accepted whole);
 * older versions are served, and the response carries the throttle time either way.
 */
public final class ControllerMutations {
    public static final String CONTROLLER_MUTATION_RATE = "controller_mutation_rate";
    /** The mutations of a request that no quota limits (validateOnly). */
    public static final Request UNLIMITED = new Request(null, null, 0, false, () -> 0);

    private final QuotaResolver resolver;
    private final QuotaWindow window;
    private final LongSupplier clockMs;
    private final Map<Client, TokenBucket> buckets = new ConcurrentHashMap<>();

    public ControllerMutations(Supplier<Map<ClientQuotaEntity, Map<String, Double>>> configured, QuotaWindow window,
                               LongSupplier clockMs) {
        this.resolver = new QuotaResolver(CONTROLLER_MUTATION_RATE, configured);
        this.window = window;
        this.clockMs = clockMs;
    }

    /** The mutations of one request of the client; {@code strict} for the versions that know THROTTLING_QUOTA_EXCEEDED. */
    public Request request(String user, String clientId, boolean strict) {
        Quota quota = resolver.quotaOf(user, clientId);
        if (quota == null) {
            return UNLIMITED;
        }
        double burst = quota.bound() * window.samples() * window.sampleMs() / 1000.0;
        TokenBucket bucket = buckets.computeIfAbsent(quota.measured(),
                c -> new TokenBucket(burst, clockMs.getAsLong()));
        return new Request(bucket, quota, burst, strict, clockMs);
    }

    /** One request's mutations, checked and counted one topic at a time. */
    public static final class Request {
        private final TokenBucket bucket;
        private final Quota quota;
        private final double burst;
        private final boolean strict;
        private final LongSupplier clockMs;

        private Request(TokenBucket bucket, Quota quota, double burst, boolean strict, LongSupplier clockMs) {
            this.bucket = bucket;
            this.quota = quota;
            this.burst = burst;
            this.strict = strict;
            this.clockMs = clockMs;
        }

        /**
         * Counts a topic's {@code partitions}; false, counting nothing, when the request is strict and the client is
         * already over its quota: the topic must be refused with THROTTLING_QUOTA_EXCEEDED.
         */
        public boolean tryTake(int partitions) {
            if (bucket == null) {
                return true;
            }
            synchronized (bucket) {
                long now = clockMs.getAsLong();
                if (strict && bucket.tokens(quota.bound(), burst, now) < 0) {
                    return false;
                }
                bucket.take(partitions, quota.bound(), burst, now);
                return true;
            }
        }

        /** Gives back the partitions of a topic counted but not created or deleted after all. */
        public void giveBack(int partitions) {
            if (bucket != null) {
                bucket.take(-partitions, quota.bound(), burst, clockMs.getAsLong());
            }
        }

        /** How long the client is throttled: until its bucket is back at zero. */
        public int throttleMs() {
            if (bucket == null) {
                return 0;
            }
            double tokens = bucket.tokens(quota.bound(), burst, clockMs.getAsLong());
            return tokens >= 0 ? 0 : (int) Math.min(Math.round(-tokens / quota.bound() * 1000), Integer.MAX_VALUE);
        }
    }
}
