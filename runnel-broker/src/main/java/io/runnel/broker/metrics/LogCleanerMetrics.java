package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import io.runnel.storage.LogCleanerStats;
import io.runnel.storage.LogManager;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Kafka's log cleaner gauges ({@link LogCleanerStats} says what each reports): {@code kafka.log:type=LogCleaner}
 * max-buffer-utilization-percent, cleaner-recopy-percent, max-clean-time-secs, max-compaction-delay-secs and
 * DeadThreadCount; {@code kafka.log:type=LogCleanerManager} max-dirty-percent, time-since-last-run-ms and, per log
 * directory, uncleanable-partitions-count and uncleanable-bytes. Read from the cleaner when scraped.
 */
public final class LogCleanerMetrics {
    private static final String DOMAIN = "kafka.log";

    private LogCleanerMetrics() {
    }

    public static void register(BrokerMetrics metrics, LogManager logs) {
        stat(metrics, logs, "LogCleaner", "max-buffer-utilization-percent",
                LogCleanerStats::maxBufferUtilizationPercent);
        stat(metrics, logs, "LogCleaner", "cleaner-recopy-percent", LogCleanerStats::recopyPercent);
        stat(metrics, logs, "LogCleaner", "max-clean-time-secs", LogCleanerStats::maxCleanTimeSecs);
        stat(metrics, logs, "LogCleaner", "max-compaction-delay-secs", LogCleanerStats::maxCompactionDelaySecs);
        stat(metrics, logs, "LogCleaner", "DeadThreadCount", LogCleanerStats::deadThreads);
        stat(metrics, logs, "LogCleanerManager", "max-dirty-percent", LogCleanerStats::maxDirtyPercent);
        stat(metrics, logs, "LogCleanerManager", "time-since-last-run-ms", LogCleanerStats::timeSinceLastRunMs);
        for (Path dir : logs.logDirs()) {
            String logDirectory = dir.toAbsolutePath().toString();
            metrics.gauge(KafkaMetricName.of(DOMAIN, "LogCleanerManager", "uncleanable-partitions-count",
                    "logDirectory", logDirectory), (Gauge<Integer>) () -> logs.uncleanablePartitions(dir));
            metrics.gauge(KafkaMetricName.of(DOMAIN, "LogCleanerManager", "uncleanable-bytes",
                    "logDirectory", logDirectory), (Gauge<Long>) () -> logs.uncleanableBytes(dir));
        }
    }

    private static void stat(BrokerMetrics metrics, LogManager logs, String type, String name,
                             Function<LogCleanerStats, Number> value) {
        metrics.gauge(KafkaMetricName.of(DOMAIN, type, name), (Gauge<Number>) () -> value.apply(logs.cleanerStats()));
    }
}
