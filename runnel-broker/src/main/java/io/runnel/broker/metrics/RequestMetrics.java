package io.runnel.broker.metrics;

import org.apache.kafka.common.protocol.ApiKeys;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Kafka's {@code kafka.network:type=RequestMetrics}, one {@link ApiRequestMetrics} per request name: each API by its
 * Kafka name ({@code Produce}, {@code Fetch}, ...), and as in Kafka {@code FetchConsumer} and {@code FetchFollower}
 * beside {@code Fetch}. Created on an API's first request; found by array index, with no string built per request.
 */
public final class RequestMetrics {
    static final String DOMAIN = "kafka.network";
    static final String TYPE = "RequestMetrics";
    private static final String FETCH_CONSUMER = "FetchConsumer";
    private static final String FETCH_FOLLOWER = "FetchFollower";

    private final BrokerMetrics metrics;
    private final AtomicReferenceArray<ApiRequestMetrics> byApiKey;
    private volatile ApiRequestMetrics fetchConsumer;
    private volatile ApiRequestMetrics fetchFollower;

    RequestMetrics(BrokerMetrics metrics) {
        this.metrics = metrics;
        int maxId = 0;
        for (ApiKeys key : ApiKeys.values()) {
            maxId = Math.max(maxId, key.id);
        }
        this.byApiKey = new AtomicReferenceArray<>(maxId + 1);
    }

    public ApiRequestMetrics of(ApiKeys key) {
        ApiRequestMetrics existing = byApiKey.get(key.id);
        if (existing != null) {
            return existing;
        }
        byApiKey.compareAndSet(key.id, null, new ApiRequestMetrics(metrics, key.name, key.latestVersion(true)));
        return byApiKey.get(key.id);
    }

    /** Fetches are also counted by who sent them, a follower or a consumer (Kafka's FetchFollower, FetchConsumer). */
    public ApiRequestMetrics ofFetchFrom(boolean follower) {
        ApiRequestMetrics existing = follower ? fetchFollower : fetchConsumer;
        if (existing != null) {
            return existing;
        }
        synchronized (this) { // once per broker, on its first fetch of each kind
            if (follower && fetchFollower == null) {
                fetchFollower = new ApiRequestMetrics(metrics, FETCH_FOLLOWER, ApiKeys.FETCH.latestVersion(true));
            } else if (!follower && fetchConsumer == null) {
                fetchConsumer = new ApiRequestMetrics(metrics, FETCH_CONSUMER, ApiKeys.FETCH.latestVersion(true));
            }
            return follower ? fetchFollower : fetchConsumer;
        }
    }
}
