package io.runnel.broker.replica;

/**
 * Kafka's replication settings: {@code num.replica.fetchers}, {@code replica.fetch.wait.max.ms},
 * {@code replica.fetch.min.bytes}, {@code replica.fetch.max.bytes}, {@code replica.fetch.response.max.bytes},
 * {@code replica.fetch.backoff.ms}, {@code replica.lag.time.max.ms} and {@code replica.socket.timeout.ms}.
 */
public record ReplicationConfig(int numReplicaFetchers, int fetchWaitMaxMs, int fetchMinBytes, int fetchMaxBytes,
                                int fetchResponseMaxBytes, int fetchBackoffMs, long lagTimeMaxMs, int socketTimeoutMs) {

    /** Kafka's defaults. */
    public static ReplicationConfig defaults() {
        return new ReplicationConfig(1, 500, 1, 1048576, 10485760, 1000, 30000L, 30000);
    }
}
