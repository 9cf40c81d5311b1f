package io.runnel.storage;

import org.apache.kafka.common.record.TimestampType;

/** The topic-level settings one partition log obeys (Kafka's topic config names, see each component). */
public record LogConfig(int segmentBytes, long segmentMs, long segmentJitterMs, int segmentIndexBytes,
                        int indexIntervalBytes, long flushMessages, long flushMs, int maxMessageBytes,
                        TimestampType timestampType, long timestampBeforeMaxMs, long timestampAfterMaxMs,
                        long fileDeleteDelayMs, long retentionMs, long retentionBytes) {

    private static final long SEVEN_DAYS_MS = 7L * 24 * 60 * 60 * 1000;

    /** Kafka's defaults for every setting. */
    public static LogConfig defaults() {
        return new LogConfig(1024 * 1024 * 1024, SEVEN_DAYS_MS, 0, 10 * 1024 * 1024, 4096,
                Long.MAX_VALUE, Long.MAX_VALUE, 1048588, TimestampType.CREATE_TIME,
                Long.MAX_VALUE, Long.MAX_VALUE, 60_000, SEVEN_DAYS_MS, -1);
    }

    public LogConfig withSegmentBytes(int v) {
        return new LogConfig(v, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withSegmentMs(long v) {
        return new LogConfig(segmentBytes, v, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withSegmentJitterMs(long v) {
        return new LogConfig(segmentBytes, segmentMs, v, segmentIndexBytes, indexIntervalBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withSegmentIndexBytes(int v) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, v, indexIntervalBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withIndexIntervalBytes(int v) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, v,
                flushMessages, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withFlushMessages(long v) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                v, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withFlushMs(long v) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                flushMessages, v, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withMaxMessageBytes(int v) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                flushMessages, flushMs, v, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withTimestampType(TimestampType v) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                flushMessages, flushMs, maxMessageBytes, v, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withTimestampBounds(long beforeMaxMs, long afterMaxMs) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, beforeMaxMs,
                afterMaxMs, fileDeleteDelayMs, retentionMs, retentionBytes);
    }

    public LogConfig withFileDeleteDelayMs(long v) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, v, retentionMs, retentionBytes);
    }

    public LogConfig withRetention(long ms, long bytes) {
        return new LogConfig(segmentBytes, segmentMs, segmentJitterMs, segmentIndexBytes, indexIntervalBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, timestampBeforeMaxMs,
                timestampAfterMaxMs, fileDeleteDelayMs, ms, bytes);
    }
}
