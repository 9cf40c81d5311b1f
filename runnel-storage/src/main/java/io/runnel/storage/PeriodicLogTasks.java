package io.runnel.storage;

import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log manager's periodic work over every log, on its scheduler thread: flush by flush.ms, checkpoints, retention
 * and producer id expiration.
 */
final class PeriodicLogTasks {
    /** Kafka's replica.high.watermark.checkpoint.interval.ms default; also used for the recovery points. */
    static final long CHECKPOINT_INTERVAL_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicLogTasks.class);

    private final Clock clock;
    private final Supplier<Collection<PartitionLog>> logs;

    PeriodicLogTasks(Clock clock, Supplier<Collection<PartitionLog>> logs) {
        this.clock = clock;
        this.logs = logs;
    }

    void schedule(ScheduledExecutorService scheduler, LogManagerConfig config, Runnable writeCheckpoints) {
        long flushCheckIntervalMs = config.flushCheckIntervalMs();
        if (flushCheckIntervalMs > 0) {
            scheduler.scheduleWithFixedDelay(BackgroundTasks.logged("flush check", this::flushDueLogs),
                    flushCheckIntervalMs, flushCheckIntervalMs, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(BackgroundTasks.logged("checkpoint", writeCheckpoints::run),
                CHECKPOINT_INTERVAL_MS, CHECKPOINT_INTERVAL_MS, TimeUnit.MILLISECONDS);
        long retentionIntervalMs = Math.max(1, config.retentionCheckIntervalMs());
        scheduler.scheduleWithFixedDelay(BackgroundTasks.logged("retention", this::deleteRetainedSegments),
                retentionIntervalMs, retentionIntervalMs, TimeUnit.MILLISECONDS);
        long expirationCheckMs = Math.max(1, config.producerIdExpirationCheckIntervalMs());
        long expirationMs = config.producerIdExpirationMs();
        scheduler.scheduleWithFixedDelay(
                BackgroundTasks.logged("producer id expiration", () -> expireProducers(expirationMs)),
                expirationCheckMs, expirationCheckMs, TimeUnit.MILLISECONDS);
    }

    private void flushDueLogs() {
        long now = clock.millis();
        for (PartitionLog log : logs.get()) {
            try {
                log.flushIfDue(now);
            } catch (RuntimeException e) {
                LOG.warn("Periodic flush of {} failed", log.topicPartition(), e);
            }
        }
    }

    /** Retention of every log whose cleanup.policy contains delete (log.retention.check.interval.ms). */
    private void deleteRetainedSegments() {
        long now = clock.millis();
        for (PartitionLog log : logs.get()) {
            try {
                log.deleteRetainedSegments(now);
            } catch (RuntimeException e) {
                LOG.warn("Retention of {} failed", log.topicPartition(), e);
            }
        }
    }

    /** Producer id expiration of every log (producer.id.expiration.check.interval.ms). */
    void expireProducers(long expirationMs) {
        long now = clock.millis();
        for (PartitionLog log : logs.get()) {
            int expired = log.expireProducers(now, expirationMs);
            if (expired > 0) {
                LOG.debug("Expired {} producer ids of {}", expired, log.topicPartition());
            }
        }
    }
}
