package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.runnel.storage.record.ProducedBatches;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's log: an ordered map of segments, the last one active. Appends, truncation and segment deletion take
 * the log's lock; reads take no lock and work on the published {@link View}. fsync runs on the background scheduler.
 *
 * <p>Reads are safe during truncation by construction: a segment's bytes are never rewritten nor cut while it is
 * open (truncation swaps in a copy of the kept prefix, and a segment that stops being active is never appended to
 * again), and its files stay open for file.delete.delay.ms after it leaves the log. A reader's view therefore holds
 * exactly the batches that were in the log when it was taken.
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
    private volatile View view;
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
        this.view = new View(snapshot(segments), logEndOffset);
        this.logStartOffset = logStartOffset;
        this.recoveryPoint = recoveryPoint;
        this.highWatermark = Math.min(highWatermark, logEndOffset);
        this.lastFlushMs = clock.millis();
    }

    /**
     * What readers see: the segments and the log end at one instant, published after each append and each change of
     * the segment list. Every batch below the end lies in these segments, in bytes that are never rewritten.
     */
    private record View(NavigableMap<Long, LogSegment> segments, long endOffset) {
    }

    private static NavigableMap<Long, LogSegment> snapshot(NavigableMap<Long, LogSegment> segments) {
        return Collections.unmodifiableNavigableMap(new TreeMap<>(segments));
    }

    /** Publishes the current segment list (under the append lock). */
    private void publishSegments() {
        view = new View(snapshot(segments), view.endOffset());
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
            checkNotDeleted();
            LogConfig cfg = config;
            parsed.parse(batches, cfg.maxMessageBytes(), true);
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
                return appendAsLeader(batches, leaderEpoch, cfg, now);
            } finally {
                parsed.clear();
            }
        }
    }

    /**
     * Appends batches fetched from the leader as they are: their offsets, leader epochs and timestamps were assigned
     * by the leader. Each batch must be a CRC-valid v2 batch, and the first must start at the log end and each next
     * one right after its predecessor (on a compacted topic, where the leader's cleaner removed records, anywhere
     * after it). Updates the leader epochs from the batches (an epoch newer than every known one starts at its first
     * batch), the idempotent producers' state, the indexes, and rolls segments as leader appends do. Returns the new
     * log end offset. Called by the replica fetcher's thread; like every append it may create a segment file.
     */
    public long appendAsFollower(ByteBuffer batches) {
        synchronized (appendLock) {
            checkNotDeleted();
            LogConfig cfg = config;
            parsed.parse(batches, cfg.maxMessageBytes(), false);
            try {
                long expected = view.endOffset();
                for (int i = 0; i < parsed.count(); i++) {
                    long base = parsed.baseOffset(i);
                    if (base < expected || (base > expected && !cfg.compact())) {
                        throw new InvalidRecordException("Replicated batch of " + topicPartition + " starts at offset "
                                + base + " but the next offset is " + expected + (base < expected ? " (overlap)"
                                : " (gap)"));
                    }
                    expected = parsed.lastOffset(i) + 1;
                }
                write(batches, cfg, clock.millis());
                return view.endOffset();
            } finally {
                parsed.clear();
            }
        }
    }

    private void checkNotDeleted() {
        if (deleted) {
            throw new KafkaStorageException("The log of " + topicPartition + " has been deleted");
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

    /** Assigns offsets from the log end and the leader epoch (and log append time if so configured), then writes. */
    private AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch, LogConfig cfg, long now) {
        boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
        long firstOffset = view.endOffset();
        long nextOffset = firstOffset;
        for (int i = 0; i < parsed.count(); i++) {
            parsed.assign(i, nextOffset, leaderEpoch);
            if (logAppendTime) {
                parsed.setLogAppendTime(i, now);
            }
            nextOffset += parsed.offsetCount(i);
        }
        write(batches, cfg, now);
        return new AppendResult(firstOffset, nextOffset - 1, logAppendTime ? now : -1, logStartOffset, false);
    }

    /**
     * The append steps shared by leader and follower: the parsed batches, with their final offsets and epochs, go to
     * the active segment (rolled first if needed) in one write; then the epochs, indexes and producer state follow
     * them batch by batch, and the new log end is published.
     */
    private void write(ByteBuffer batches, LogConfig cfg, long now) {
        long firstOffset = view.endOffset();
        long nextOffset = parsed.lastOffset(parsed.count() - 1) + 1;
        LogSegment segment = maybeRoll(batches.remaining(), nextOffset - 1, cfg, now);
        try {
            segment.write(batches, now);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot append to " + topicPartition + " in " + dir, e);
        }
        for (int i = 0; i < parsed.count(); i++) {
            long batchFirst = parsed.baseOffset(i);
            long batchLast = parsed.lastOffset(i);
            epochs.assign(parsed.partitionLeaderEpoch(i), batchFirst);
            segment.indexBatch(parsed.sizeInBytes(i), batchLast, parsed.maxTimestamp(i), cfg.indexIntervalBytes());
            long producerId = parsed.producerId(i);
            if (producerId >= 0) {
                producers.update(producerId, parsed.producerEpoch(i), parsed.baseSequence(i), parsed.lastSequence(i),
                        batchFirst, batchLast, parsed.maxTimestamp(i));
            }
        }
        view = new View(view.segments(), nextOffset);
        unflushedMessages += nextOffset - firstOffset;
        if (unflushedMessages >= cfg.flushMessages()) {
            unflushedMessages = 0;
            scheduleFlush();
        }
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
        segment.seal();
        roll(cfg);
        return active;
    }

    /**
     * Opens a new active segment at the log end and publishes it; the producer state snapshot at that offset and a
     * flush follow on the scheduler. The previous active segment must be sealed or out of the log already.
     */
    private void roll(LogConfig cfg) {
        long end = view.endOffset();
        try {
            LogSegment next = LogSegment.open(dir, end, cfg.segmentIndexBytes(), jitter(cfg));
            segments.put(next.baseOffset(), next);
            active = next;
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot roll a new segment of " + topicPartition + " in " + dir, e);
        }
        publishSegments();
        long snapshotOffset = end;
        ByteBuffer snapshot = producers.snapshot();
        Path snapshotDir = dir;
        inBackground("roll", () -> {
            ProducerStateManager.writeSnapshot(snapshotDir, snapshotOffset, snapshot);
            flush();
        });
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
        View v = view;
        // Read after the view: a log start moved (then published) by a truncation or deletion is at least as new.
        long start = logStartOffset;
        long end = v.endOffset();
        if (fetchOffset < start || fetchOffset > end) {
            throw new OffsetOutOfRangeException("Offset " + fetchOffset + " of " + topicPartition
                    + " is out of range [" + start + ", " + end + "]");
        }
        // The view's segments hold every batch below its end; bounding by that end hides batches appended since.
        long limit = Math.min(maxOffsetExclusive, end);
        if (fetchOffset >= limit || (maxBytes <= 0 && !minOneMessage)) {
            return LogSlice.EMPTY;
        }
        try {
            for (Map.Entry<Long, LogSegment> e = v.segments().floorEntry(fetchOffset); e != null;
                 e = v.segments().higherEntry(e.getKey())) {
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

    /** The offset the next batch gets; a volatile read. */
    public long logEndOffset() {
        return view.endOffset();
    }

    /** Never above the log end, even while an update races a truncation that lowers the end. */
    public long highWatermark() {
        return Math.min(highWatermark, view.endOffset());
    }

    /**
     * Set by the replication code: a leader's from its in-sync replicas, a follower's from its leader's, capped here
     * by this log's end. LogManager persists it in replication-offset-checkpoint and a reload caps it by the log end.
     */
    public void updateHighWatermark(long hw) {
        highWatermark = Math.min(hw, view.endOffset());
    }

    /** The first record from the log start offset on whose timestamp is at least {@code timestampMs}. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        try {
            for (LogSegment segment : view.segments().values()) {
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
            long hw = highWatermark();
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
                publishSegments();
            }
            return logStartOffset;
        }
    }

    /**
     * Removes every batch at and after {@code offset}: segments starting there or later go, the segment holding it is
     * replaced by a copy of its batches before the batch holding {@code offset} (so the log end becomes that batch's
     * base offset if one straddles {@code offset}), and the leader epochs starting at or after the new end, the
     * producer state, high watermark and recovery point follow. An offset at or below the log start empties the log
     * as {@link #truncateFullyAndStartAt} does; one at or past the end changes nothing. Readers are unaffected (see
     * the class comment); removed files are deleted on the scheduler after file.delete.delay.ms. Crash-safe through
     * {@link PendingTruncation}. Does file I/O and fsyncs: only for the replica manager's executor, through
     * {@link LogManager#truncateTo}, which then checkpoints the lowered recovery point.
     */
    void truncateTo(long offset) {
        synchronized (appendLock) {
            checkNotDeleted();
            if (offset >= view.endOffset()) {
                return;
            }
            if (offset <= logStartOffset) {
                truncateFullyAndStartAt(offset);
                return;
            }
            LogConfig cfg = config;
            try {
                new PendingTruncation(false, offset).write(dir);
                synchronized (flushLock) {
                    removeSegmentsFrom(offset);
                    LogSegment holding = segments.lastEntry().getValue();
                    int cut = holding.positionOf(offset);
                    boolean keepWhole = cut == holding.size();
                    if (!keepWhole) {
                        LogSegment kept = holding.copyPrefix(dir, cut, cfg.segmentIndexBytes(),
                                cfg.indexIntervalBytes(), epochs);
                        swapIn(holding, kept, LogFiles.TRUNCATED);
                        active = kept;
                    }
                    afterTruncation(segments.lastEntry().getValue().nextOffset());
                    long end = view.endOffset();
                    LogLoader.replayProducers(segments, producers.loadSnapshot(dir, end), producers);
                    deleteSnapshotsAbove(end);
                    if (keepWhole) {
                        // The holding segment keeps all its bytes and stays sealed: a new one takes the appends.
                        roll(cfg);
                    }
                }
                PendingTruncation.clear(dir);
            } catch (IOException e) {
                throw new KafkaStorageException("Cannot truncate " + topicPartition + " to offset " + offset, e);
            }
            LOG.info("{}: truncated to offset {}, log end offset now {}", topicPartition, offset, view.endOffset());
        }
    }

    /**
     * Empties the log and restarts it at {@code offset} (a follower whose leader's log starts beyond this log's
     * end): every segment goes, the leader epochs and producer state are cleared, and the log start, end, high
     * watermark and recovery point become {@code offset}. Same threading and durability as {@link #truncateTo}.
     */
    void truncateFullyAndStartAt(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot start the log of " + topicPartition + " at offset " + offset);
        }
        synchronized (appendLock) {
            checkNotDeleted();
            try {
                new PendingTruncation(true, offset).write(dir);
                synchronized (flushLock) {
                    removeSegmentsFrom(Long.MIN_VALUE);
                    epochs.clear();
                    producers.clear();
                    deleteSnapshotsAbove(-1);
                    logStartOffset = offset;
                    afterTruncation(offset);
                    recoveryPoint = offset;
                    highWatermark = offset;
                    roll(config);
                }
                PendingTruncation.clear(dir);
            } catch (IOException e) {
                throw new KafkaStorageException("Cannot truncate " + topicPartition + " fully to " + offset, e);
            }
            LOG.info("{}: truncated fully, log now starts at offset {}", topicPartition, offset);
        }
    }

    /** Completes a truncation a crash interrupted (at load, before the log is shared). */
    void completeTruncation(PendingTruncation pending) {
        if (pending.full()) {
            truncateFullyAndStartAt(pending.offset());
        } else if (pending.offset() < view.endOffset()) {
            truncateTo(pending.offset());
        } else {
            try {
                PendingTruncation.clear(dir);
            } catch (IOException e) {
                throw new KafkaStorageException("Cannot complete the truncation of " + topicPartition, e);
            }
        }
    }

    /** Unlinks the segments starting at or after {@code offset}, the newest first, so a crash leaves a prefix. */
    private void removeSegmentsFrom(long offset) {
        List<LogSegment> removed = new ArrayList<>(segments.tailMap(offset, true).descendingMap().values());
        removed.forEach(this::removeSegment);
    }

    /** Publishes the new end with the current segments and lowers what may no longer exceed it. */
    private void afterTruncation(long end) {
        view = new View(snapshot(segments), end);
        epochs.truncateFromEnd(end);
        unflushedMessages = 0;
        recoveryPoint = Math.min(recoveryPoint, end);
        highWatermark = Math.min(highWatermark, end);
    }

    /**
     * Deletes the producer snapshots above {@code offset} now, and again once the snapshot writes already queued on
     * the scheduler (by rolls before the truncation) have run.
     */
    private void deleteSnapshotsAbove(long offset) throws IOException {
        ProducerStateManager.deleteSnapshotsAbove(dir, offset);
        Path snapshotDir = dir;
        inBackground("producer snapshot deletion", () -> {
            try {
                ProducerStateManager.deleteSnapshotsAbove(snapshotDir, offset);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
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
            publishSegments();
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
        // Empty for an instant while a full truncation swaps every segment for a new one.
        if (!closed.isEmpty()) {
            closed.remove(closed.size() - 1);
        }
        return closed;
    }

    long activeBaseOffset() {
        return active.baseOffset();
    }

    /** Offset where the segment after {@code segment} starts. */
    long nextSegmentBase(LogSegment segment) {
        Long next = segments.higherKey(segment.baseOffset());
        return next == null ? view.endOffset() : next;
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
     * taken under the append lock so that a segment retention or truncation removed meanwhile cannot come back. False
     * if discarded.
     */
    boolean replaceSegment(LogSegment old, LogSegment cleaned) throws IOException {
        synchronized (appendLock) {
            long base = old.baseOffset();
            if (deleted || segments.get(base) != old) {
                cleaned.close();
                LogFiles.deleteSegment(dir, base, LogFiles.CLEANED);
                return false;
            }
            swapIn(old, cleaned, LogFiles.CLEANED);
            publishSegments();
            return true;
        }
    }

    /** Replaces {@code old} by {@code replacement}, whose files carry {@code state}; the rename to swap commits. */
    private void swapIn(LogSegment old, LogSegment replacement, String state) throws IOException {
        long base = old.baseOffset();
        LogFiles.renameSegment(dir, base, state, LogFiles.SWAP);
        LogFiles.renameSegment(dir, base, "", LogFiles.DELETED);
        LogFiles.renameSegment(dir, base, LogFiles.SWAP, "");
        segments.put(base, replacement);
        deleteLater(old);
    }

    boolean isDeleted() {
        return deleted;
    }

    /** The newest leader epoch that appended to this log, or -1. */
    public int latestEpoch() {
        return epochs.latestEpoch();
    }

    /** The leader epoch of the last batch in the log, or -1 if the log is empty. */
    public int lastBatchEpoch() {
        return epochs.epochAt(view.endOffset() - 1);
    }

    /**
     * Where {@code epoch} ends (OffsetsForLeaderEpoch), empty for an epoch newer than the log's: for the latest
     * epoch the log end; for an older one the start of the next known epoch, and an epoch the log never had answers
     * with the largest epoch below it.
     */
    public Optional<EpochEndOffset> endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, view.endOffset());
    }

    /**
     * A new leader records that its epoch starts at {@code startOffset} (its log end), with Kafka's rules: entries for
     * this or later epochs, or starting at or after that offset, are replaced. Written to leader-epoch-checkpoint
     * before returning: call it from the replica manager's executor, not an event loop.
     */
    public void assignEpochStartOffset(int epoch, long startOffset) {
        synchronized (appendLock) {
            checkNotDeleted();
            epochs.assignStart(epoch, startOffset);
        }
    }

    /** fsyncs everything appended so far and advances the recovery point. Not for the appending thread. */
    public void flush() {
        synchronized (flushLock) {
            long target = view.endOffset();
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
        if (nowMs - lastFlushMs >= config.flushMs() && view.endOffset() > recoveryPoint) {
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
            ProducerStateManager.writeSnapshot(dir, view.endOffset(), producers.snapshot());
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
