package io.runnel.storage;

/**
 * The broker-level settings of the log manager: {@code log.flush.scheduler.interval.ms},
 * {@code log.retention.check.interval.ms}, {@code log.cleaner.enable}, {@code log.cleaner.threads},
 * {@code log.cleaner.dedupe.buffer.size} (shared by the cleaner threads), {@code log.cleaner.backoff.ms},
 * {@code producer.id.expiration.ms} and {@code producer.id.expiration.check.interval.ms}.
 */
public record LogManagerConfig(long flushCheckIntervalMs, long retentionCheckIntervalMs, boolean cleanerEnable,
                               int cleanerThreads, long cleanerDedupeBufferSize, long cleanerBackoffMs,
                               long producerIdExpirationMs, long producerIdExpirationCheckIntervalMs) {

    /** Kafka's defaults, with the given flush check interval. */
    public static LogManagerConfig defaults(long flushCheckIntervalMs) {
        return new LogManagerConfig(flushCheckIntervalMs, 300_000, true, 1, 128L * 1024 * 1024, 15_000, 86_400_000,
                600_000);
    }

    public LogManagerConfig withRetentionCheckIntervalMs(long v) {
        return new LogManagerConfig(flushCheckIntervalMs, v, cleanerEnable, cleanerThreads, cleanerDedupeBufferSize,
                cleanerBackoffMs, producerIdExpirationMs, producerIdExpirationCheckIntervalMs);
    }

    public LogManagerConfig withCleaner(boolean enable, int threads, long dedupeBufferSize, long backoffMs) {
        return new LogManagerConfig(flushCheckIntervalMs, retentionCheckIntervalMs, enable, threads, dedupeBufferSize,
                backoffMs, producerIdExpirationMs, producerIdExpirationCheckIntervalMs);
    }

    public LogManagerConfig withProducerIdExpiration(long expirationMs, long checkIntervalMs) {
        return new LogManagerConfig(flushCheckIntervalMs, retentionCheckIntervalMs, cleanerEnable, cleanerThreads,
                cleanerDedupeBufferSize, cleanerBackoffMs, expirationMs, checkIntervalMs);
    }
}
