package io.runnel.storage;

import java.util.function.Consumer;

import org.apache.kafka.common.record.TimestampType;

/**
 * The topic-level settings one partition log obeys (Kafka's topic config names, see each component).
 * {@code compact} and {@code delete} are the two values cleanup.policy may hold, alone or together.
 */
public record LogConfig(int segmentBytes, long segmentMs, long segmentJitterMs, int segmentIndexBytes,
                        int indexIntervalBytes, long flushMessages, long flushMs, int maxMessageBytes,
                        TimestampType timestampType, long timestampBeforeMaxMs, long timestampAfterMaxMs,
                        long fileDeleteDelayMs, long retentionMs, long retentionBytes,
                        boolean compact, boolean delete, long deleteRetentionMs, long minCompactionLagMs,
                        long maxCompactionLagMs, double minCleanableDirtyRatio) {

    private static final long ONE_HOUR_MS = 60L * 60 * 1000;
    private static final long ONE_DAY_MS = 24 * ONE_HOUR_MS;
    private static final long SEVEN_DAYS_MS = 7 * ONE_DAY_MS;

    /** Kafka's defaults for every setting (message.timestamp.after.max.ms: one hour since Kafka 4.0). */
    public static LogConfig defaults() {
        return new LogConfig(1024 * 1024 * 1024, SEVEN_DAYS_MS, 0, 10 * 1024 * 1024, 4096,
                Long.MAX_VALUE, Long.MAX_VALUE, 1048588, TimestampType.CREATE_TIME,
                Long.MAX_VALUE, ONE_HOUR_MS, 60_000, SEVEN_DAYS_MS, -1,
                false, true, ONE_DAY_MS, 0, Long.MAX_VALUE, 0.5);
    }

    public LogConfig withSegmentBytes(int v) {
        return copy(b -> b.segmentBytes = v);
    }

    public LogConfig withSegmentMs(long v) {
        return copy(b -> b.segmentMs = v);
    }

    public LogConfig withSegmentIndexBytes(int v) {
        return copy(b -> b.segmentIndexBytes = v);
    }

    public LogConfig withIndexIntervalBytes(int v) {
        return copy(b -> b.indexIntervalBytes = v);
    }

    public LogConfig withFlushMessages(long v) {
        return copy(b -> b.flushMessages = v);
    }

    public LogConfig withMaxMessageBytes(int v) {
        return copy(b -> b.maxMessageBytes = v);
    }

    public LogConfig withTimestampType(TimestampType v) {
        return copy(b -> b.timestampType = v);
    }

    public LogConfig withTimestampBounds(long beforeMaxMs, long afterMaxMs) {
        return copy(b -> {
            b.timestampBeforeMaxMs = beforeMaxMs;
            b.timestampAfterMaxMs = afterMaxMs;
        });
    }

    public LogConfig withFileDeleteDelayMs(long v) {
        return copy(b -> b.fileDeleteDelayMs = v);
    }

    public LogConfig withRetention(long ms, long bytes) {
        return copy(b -> {
            b.retentionMs = ms;
            b.retentionBytes = bytes;
        });
    }

    public LogConfig withCleanupPolicy(boolean compact, boolean delete) {
        return copy(b -> {
            b.compact = compact;
            b.delete = delete;
        });
    }

    public LogConfig withCompaction(long deleteRetentionMs, long minCompactionLagMs, long maxCompactionLagMs,
                                    double minCleanableDirtyRatio) {
        return copy(b -> {
            b.deleteRetentionMs = deleteRetentionMs;
            b.minCompactionLagMs = minCompactionLagMs;
            b.maxCompactionLagMs = maxCompactionLagMs;
            b.minCleanableDirtyRatio = minCleanableDirtyRatio;
        });
    }

    private LogConfig copy(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** A mutable copy, so that each {@code with...} names only what it changes. */
    private static final class Builder {
        int segmentBytes;
        long segmentMs;
        long segmentJitterMs;
        int segmentIndexBytes;
        int indexIntervalBytes;
        long flushMessages;
        long flushMs;
        int maxMessageBytes;
        TimestampType timestampType;
        long timestampBeforeMaxMs;
        long timestampAfterMaxMs;
        long fileDeleteDelayMs;
        long retentionMs;
        long retentionBytes;
        boolean compact;
        boolean delete;
        long deleteRetentionMs;
        long minCompactionLagMs;
        long maxCompactionLagMs;
        double minCleanableDirtyRatio;

        Builder(LogConfig c) {
            segmentBytes = c.segmentBytes;
            segmentMs = c.segmentMs;
            segmentJitterMs = c.segmentJitterMs;
            segmentIndexBytes = c.segmentIndexBytes;
            indexIntervalBytes = c.indexIntervalBytes;
            flushMessages = c.flushMessages;
            flushMs = c.flushMs;
            maxMessageBytes = c.maxMessageBytes;
            timestampType = c.timestampType;
            timestampBeforeMaxMs = c.timestampBeforeMaxMs;
            timestampAfterMaxMs = c.timestampAfterMaxMs;
            fileDeleteDelayMs = c.fileDeleteDelayMs;
            retentionMs = c.retentionMs;
            retentionBytes = c.retentionBytes;
            compact = c.compact;
            delete = c.delete;
            deleteRetentionMs = c.deleteRetentionMs;
            minCompactionLagMs = c.minCompactionLagMs;
            maxCompactionLagMs = c.maxCompactionLagMs;
            minCleanableDirtyRatio = c.minCleanableDirtyRatio;
        }

        LogConfig build() {
            return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                    flushMessages, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs, timestampAfterMaxMs,
                    fileDeleteDelayMs, retentionMs, retentionBytes, compact, delete, deleteRetentionMs,
                    minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
        }
    }
}
