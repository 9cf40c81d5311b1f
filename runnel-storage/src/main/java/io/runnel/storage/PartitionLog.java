package io.runnel.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.runnel.storage.record.ProducedBatches;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's log: an ordered map of segments, the last one active. Appends take the log's lock; reads take no
 * lock and see only what {@link #logEndOffset()} has published. fsync runs on the background scheduler.
 */
public final class PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final LeaderEpochCache epochs;
    private final ProducerStateManager producers;
    private final ProducedBatches parsed = new ProducedBatches();
    private final Object appendLock = new Object();
    private final Object flushLock = new Object();
    private final AtomicBoolean flushPending = new AtomicBoolean();
    private volatile Path dir;
    private volatile LogConfig config;
    private volatile LogSegment active;
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean deleted;
    private volatile long logStartOffset;
    private long unflushedMessages;

    PartitionLog(Path dir, TopicPartition topicPartition, Uuid topicId, LogConfig config, Clock clock,
                 ScheduledExecutorService scheduler, ConcurrentSkipListMap<Long, LogSegment> segments,
                 LeaderEpochCache epochs, ProducerStateManager producers, long logEndOffset, long logStartOffset,
                 long recoveryPoint, long highWatermark) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.segments = segments;
        this.active = segments.lastEntry().getValue();
        this.epochs = epochs;
        this.producers = producers;
        this.logEndOffset = logEndOffset;
        this.logStartOffset = logStartOffset;
        this.recoveryPoint = recoveryPoint;
        this.highWatermark = Math.min(highWatermark, logEndOffset);
        this.lastFlushMs = clock.millis();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public LogConfig config() {
        return config;
    }

    /** Takes effect for the next append; index sizes for the next segment. */
    public void updateConfig(LogConfig c) {
        config = c;
    }

    /**
     * Validates the produced batches, assigns their offsets and leader epoch in place and appends all or none in one
     * write. The buffer is not retained. A retried idempotent batch returns its original offsets, marked duplicate.
     */
    public AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch) {
        synchronized (appendLock) {
            if (deleted) {
                throw new KafkaStorageException("The log of " + topicPartition + " has been deleted");
            }
            LogConfig cfg = config;
            parsed.parse(batches, cfg.maxMessageBytes());
            try {
                long now = clock.millis();
                if (cfg.timestampType() == TimestampType.CREATE_TIME) {
                    validateTimestamps(cfg, now);
                }
                if (cfg.compact()) {
                    parsed.requireKeys(topicPartition);
                }
                ProducerStateManager.Duplicate duplicate = producers.validate(parsed);
                if (duplicate != null) {
                    long appendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME ? duplicate.timestamp() : -1;
                    return new AppendResult(duplicate.firstOffset(), duplicate.lastOffset(), appendTime, logStartOffset,
                            true);
                }
                return append(batches, leaderEpoch, cfg, now);
            } finally {
                parsed.clear();
            }
        }
    }

    private void validateTimestamps(LogConfig cfg, long now) {
        for (int i = 0; i < parsed.count(); i++) {
            checkTimestamp(parsed.baseTimestamp(i), cfg, now);
            checkTimestamp(parsed.maxTimestamp(i), cfg, now);
        }
    }

    private void checkTimestamp(long timestamp, LogConfig cfg, long now) {
        if (now - timestamp > cfg.timestampBeforeMaxMs() || timestamp - now > cfg.timestampAfterMaxMs()) {
            throw new InvalidTimestampException("Timestamp " + timestamp + " of " + topicPartition
                    + " is out of range: now " + now + ", message.timestamp.before.max.ms "
                    + cfg.timestampBeforeMaxMs() + ", message.timestamp.after.max.ms " + cfg.timestampAfterMaxMs());
        }
    }

    private AppendResult append(ByteBuffer batches, int leaderEpoch, LogConfig cfg, long now) {
        boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
        long firstOffset = logEndOffset;
        long nextOffset = firstOffset;
        for (int i = 0; i < parsed.count(); i++) {
            parsed.assign(i, nextOffset, leaderEpoch);
            if (logAppendTime) {
                parsed.setLogAppendTime(i, now);
            }
            nextOffset += parsed.offsetCount(i);
        }
        long lastOffset = nextOffset - 1;
        LogSegment segment = maybeRoll(batches.remaining(), lastOffset, cfg, now);
        epochs.assign(leaderEpoch, firstOffset);
        try {
            segment.write(batches, now);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot append to " + topicPartition + " in " + dir, e);
        }
        long offset = firstOffset;
        for (int i = 0; i < parsed.count(); i++) {
            long batchLast = offset + parsed.offsetCount(i) - 1;
            segment.indexBatch(parsed.sizeInBytes(i), batchLast, parsed.maxTimestamp(i), cfg.indexIntervalBytes());
            long producerId = parsed.producerId(i);
            if (producerId >= 0) {
                producers.update(producerId, parsed.producerEpoch(i), parsed.baseSequence(i), parsed.lastSequence(i),
                        offset, batchLast, parsed.maxTimestamp(i));
            }
            offset = batchLast + 1;
        }
        logEndOffset = nextOffset;
        unflushedMessages += nextOffset - firstOffset;
        if (unflushedMessages >= cfg.flushMessages()) {
            unflushedMessages = 0;
            scheduleFlush();
        }
        return new AppendResult(firstOffset, lastOffset, logAppendTime ? now : -1, logStartOffset, false);
    }

    /** Starts a new segment at the log end if the append would not fit the active one by size, age or index room. */
    private LogSegment maybeRoll(int appendBytes, long lastOffset, LogConfig cfg, long now) {
        LogSegment segment = active;
        boolean nonEmpty = segment.size() > 0;
        boolean roll = nonEmpty && (segment.size() + (long) appendBytes > cfg.segmentBytes()
                || segment.ageMs(now) > cfg.segmentMs() - segment.rollJitterMs())
                || segment.indexesFull()
                || lastOffset - segment.baseOffset() > Integer.MAX_VALUE;
        if (!roll) {
            return segment;
        }
        try {
            LogSegment next = LogSegment.open(dir, logEndOffset, cfg.segmentIndexBytes(), jitter(cfg));
            segment.seal();
            segments.put(next.baseOffset(), next);
            active = next;
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot roll a new segment of " + topicPartition + " in " + dir, e);
        }
        long snapshotOffset = logEndOffset;
        ByteBuffer snapshot = producers.snapshot();
        Path snapshotDir = dir;
        inBackground("roll", () -> {
            ProducerStateManager.writeSnapshot(snapshotDir, snapshotOffset, snapshot);
            flush();
        });
        return active;
    }

    static long jitter(LogConfig cfg) {
        return cfg.segmentJitterMs() <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cfg.segmentJitterMs());
    }

    private void scheduleFlush() {
        if (flushPending.compareAndSet(false, true)) {
            inBackground("flush", () -> {
                flushPending.set(false);
                flush();
            });
        }
    }

    private void inBackground(String what, Runnable task) {
        scheduler.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Background {} of {} failed", what, topicPartition, e);
            }
        });
    }

    /**
     * Whole batches from the one holding {@code fetchOffset}: at most {@code maxBytes} (or the first batch whole if
     * {@code minOneMessage}), none reaching {@code maxOffsetExclusive}, all from one segment.
     */
    public LogSlice read(long fetchOffset, int maxBytes, long maxOffsetExclusive, boolean minOneMessage) {
        long end = logEndOffset;
        if (fetchOffset < logStartOffset || fetchOffset > end) {
            throw new OffsetOutOfRangeException("Offset " + fetchOffset + " of " + topicPartition
                    + " is out of range [" + logStartOffset + ", " + end + "]");
        }
        // Segment sizes are published before the log end: bounding by the end read above hides later batches.
        long limit = Math.min(maxOffsetExclusive, end);
        if (fetchOffset >= limit || (maxBytes <= 0 && !minOneMessage)) {
            return LogSlice.EMPTY;
        }
        try {
            for (Map.Entry<Long, LogSegment> e = segments.floorEntry(fetchOffset); e != null;
                 e = segments.higherEntry(e.getKey())) {
                LogSlice slice = e.getValue().read(fetchOffset, maxBytes, limit, minOneMessage);
                if (slice != null) {
                    return slice;
                }
            }
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot read " + topicPartition + " from " + dir, e);
        }
        return LogSlice.EMPTY;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Set by the broker; never beyond the log end. */
    public void updateHighWatermark(long hw) {
        highWatermark = Math.min(hw, logEndOffset);
    }

    /** The first record from the log start offset on whose timestamp is at least {@code timestampMs}. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        try {
            for (LogSegment segment : segments.values()) {
                if (segment.maxTimestamp() >= timestampMs) {
                    TimestampOffset found = segment.findTimestamp(timestampMs, logStartOffset);
                    if (found != null) {
                        return Optional.of(found);
                    }
                }
            }
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot read " + topicPartition + " from " + dir, e);
        }
        return Optional.empty();
    }

    /** The record with the largest timestamp, the earliest one among ties. */
    public Optional<TimestampOffset> maxTimestampOffset() {
        LogSegment best = null;
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestamp() >= 0 && (best == null || segment.maxTimestamp() > best.maxTimestamp())) {
                best = segment;
            }
        }
        try {
            return best == null ? Optional.empty() : Optional.ofNullable(best.findMaxTimestamp());
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot read " + topicPartition + " from " + dir, e);
        }
    }

    /**
     * DeleteRecords: moves the log start offset to {@code offset} (-1 meaning the high watermark), never backwards,
     * and deletes the closed segments wholly below it. Returns the new log start offset.
     */
    public long deleteRecordsBefore(long offset) {
        synchronized (appendLock) {
            long hw = highWatermark;
            long target = offset == -1 ? hw : offset;
            if (target < 0 || target > hw) {
                throw new OffsetOutOfRangeException("Cannot delete the records of " + topicPartition + " before offset "
                        + offset + ": the high watermark is " + hw);
            }
            if (target > logStartOffset) {
                logStartOffset = target;
                List<LogSegment> below = new ArrayList<>();
                for (Map.Entry<Long, LogSegment> e : segments.headMap(target, false).entrySet()) {
                    Long next = segments.higherKey(e.getKey());
                    if (e.getValue() != active && next != null && next <= target) {
                        below.add(e.getValue());
                    }
                }
                below.forEach(this::removeSegment);
            }
            return logStartOffset;
        }
    }

    /**
     * Retention (cleanup.policy delete): deletes the oldest closed segments while their largest timestamp is older
     * than retention.ms or the partition exceeds retention.bytes by at least the segment's size. Returns how many.
     */
    int deleteRetainedSegments(long nowMs) {
        LogConfig cfg = config;
        if (!cfg.delete() || (cfg.retentionMs() < 0 && cfg.retentionBytes() < 0)) {
            return 0;
        }
        synchronized (appendLock) {
            if (deleted) {
                return 0;
            }
            long excess = cfg.retentionBytes() < 0 ? -1 : size() - cfg.retentionBytes();
            List<LogSegment> expired = new ArrayList<>();
            for (LogSegment segment : segments.values()) {
                if (segment == active) {
                    break;
                }
                // A segment left empty by compaction has no timestamp: it holds nothing to retain.
                boolean byTime = cfg.retentionMs() >= 0
                        && (segment.size() == 0 || nowMs - segment.maxTimestamp() > cfg.retentionMs());
                boolean bySize = excess >= segment.size();
                if (!byTime && !bySize) {
                    break;
                }
                excess -= segment.size();
                expired.add(segment);
            }
            if (expired.isEmpty()) {
                return 0;
            }
            long next = segments.higherKey(expired.get(expired.size() - 1).baseOffset());
            logStartOffset = Math.max(logStartOffset, next);
            expired.forEach(this::removeSegment);
            LOG.info("{}: retention deleted {} segment(s), log start offset now {}", topicPartition, expired.size(),
                    logStartOffset);
            return expired.size();
        }
    }

    /** Bytes in all segments. */
    long size() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    /** Unlinks a segment from the log (under the append lock); its files go once in-flight reads are done. */
    private void removeSegment(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
        try {
            LogFiles.renameSegment(dir, segment.baseOffset(), "", LogFiles.DELETED);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot delete segment " + segment.baseOffset() + " of " + topicPartition, e);
        }
        deleteLater(segment);
    }

    private void deleteLater(LogSegment segment) {
        scheduler.schedule(() -> {
            try {
                segment.close();
                LogFiles.deleteSegment(dir, segment.baseOffset(), LogFiles.DELETED);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot delete segment {} of {}", segment.baseOffset(), topicPartition, e);
            }
        }, Math.max(0, config.fileDeleteDelayMs()), TimeUnit.MILLISECONDS);
    }

    /** The closed segments, oldest first: what the cleaner may rewrite. */
    List<LogSegment> closedSegments() {
        List<LogSegment> closed = new ArrayList<>(segments.values());
        closed.remove(closed.size() - 1);
        return closed;
    }

    long activeBaseOffset() {
        return active.baseOffset();
    }

    /** Offset where the segment after {@code segment} starts. */
    long nextSegmentBase(LogSegment segment) {
        Long next = segments.higherKey(segment.baseOffset());
        return next == null ? logEndOffset : next;
    }

    /** Each idempotent producer's last batch (its last offset): the cleaner keeps those so producer state reloads. */
    Map<Long, Long> lastProducerBatches() {
        synchronized (appendLock) {
            return new HashMap<>(producers.lastOffsets());
        }
    }

    /**
     * Swaps a cleaned copy (files {@code <base>.*.cleaned}, sealed and flushed) in for {@code old} if it is still part
     * of the log. Renaming the cleaned log file to {@code .swap} is the commit point that recovery completes; it is
     * taken under the append lock so that a segment retention removed meanwhile cannot come back. False if discarded.
     */
    boolean replaceSegment(LogSegment old, LogSegment cleaned) throws IOException {
        synchronized (appendLock) {
            long base = old.baseOffset();
            if (deleted || segments.get(base) != old) {
                cleaned.close();
                LogFiles.deleteSegment(dir, base, LogFiles.CLEANED);
                return false;
            }
            LogFiles.renameSegment(dir, base, LogFiles.CLEANED, LogFiles.SWAP);
            LogFiles.renameSegment(dir, base, "", LogFiles.DELETED);
            LogFiles.renameSegment(dir, base, LogFiles.SWAP, "");
            segments.put(base, cleaned);
            deleteLater(old);
            return true;
        }
    }

    boolean isDeleted() {
        return deleted;
    }

    /** The newest leader epoch that appended to this log, or -1. */
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    /** Where {@code epoch} ends (OffsetsForLeaderEpoch), empty for an epoch newer than the log's. */
    public Optional<EpochEndOffset> endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, logEndOffset);
    }

    /** fsyncs everything appended so far and advances the recovery point. Not for the appending thread. */
    public void flush() {
        synchronized (flushLock) {
            long target = logEndOffset;
            if (target <= recoveryPoint) {
                return;
            }
            Long from = segments.floorKey(recoveryPoint);
            try {
                for (LogSegment segment : segments.tailMap(from == null ? 0L : from).values()) {
                    segment.flush();
                }
            } catch (IOException e) {
                throw new KafkaStorageException("Cannot flush " + topicPartition + " in " + dir, e);
            }
            recoveryPoint = target;
            lastFlushMs = clock.millis();
        }
    }

    /** Flushes if flush.ms has passed since the last flush (called by the scheduler). */
    void flushIfDue(long nowMs) {
        if (nowMs - lastFlushMs >= config.flushMs() && logEndOffset > recoveryPoint) {
            flush();
        }
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    Path dir() {
        return dir;
    }

    /** For clean shutdown: flushes, writes the producer snapshot, seals and closes every segment. */
    void close() throws IOException {
        synchronized (appendLock) {
            flush();
            ProducerStateManager.writeSnapshot(dir, logEndOffset, producers.snapshot());
            closeSegments();
        }
    }

    /** Stops appends and moves the directory aside; the caller deletes it once in-flight reads are done. */
    void markDeleted(Path newDir) throws IOException {
        synchronized (appendLock) {
            deleted = true;
            epochs.disableWrites();
            Files.move(dir, newDir);
            dir = newDir;
        }
    }

    void closeSegments() throws IOException {
        synchronized (appendLock) {
            for (LogSegment segment : segments.values()) {
                segment.seal();
                segment.close();
            }
        }
    }
}
