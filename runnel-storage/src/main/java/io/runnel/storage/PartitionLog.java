package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;

import io.runnel.storage.record.ProducedBatches;
import io.runnel.storage.record.TxnMarkers;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's log: an ordered map of segments, the last one active. Appends, truncation and segment deletion take
 * the log's lock; reads take no lock and work on the published {@link LogSegments.View}. fsync runs on the background
 * scheduler.
 *
 * <p>Reads are safe during truncation by construction: a segment's bytes are never rewritten nor cut while it is
 * open (truncation swaps in a copy of the kept prefix, and a segment that stops being active is never appended to
 * again), and its files stay open for file.delete.delay.ms after it leaves the log. A reader's view therefore holds
 * exactly the batches that were in the log when it was taken.
 */
public final class PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);
    /** How much a future log copies at a time. */
    static final int FUTURE_COPY_BYTES = 1024 * 1024;

    private final TopicPartition topicPartition;
    private volatile Uuid topicId;
    private final Clock clock;
    private final LogSegments segments;
    private final LeaderEpochCache epochs;
    private final ProducerStateManager producers;
    private final ProducedBatches parsed = new ProducedBatches();
    private final Object appendLock = new Object();
    private final BackgroundTasks background;
    private final LogFlusher flusher;
    private final LogAppender appender;
    private final LogDirFailureChannel failures;
    private volatile Path dir;
    private volatile LogConfig config;
    private volatile long highWatermark;
    private volatile boolean deleted;
    private volatile long logStartOffset;
    private final LogReader reader;

    PartitionLog(Path dir, TopicPartition topicPartition, Uuid topicId, LogConfig config, Clock clock,
                 ScheduledExecutorService scheduler, ConcurrentSkipListMap<Long, LogSegment> segments,
                 LeaderEpochCache epochs, ProducerStateManager producers, long logEndOffset, long logStartOffset,
                 long recoveryPoint, long highWatermark, LogDirFailureChannel failures,
                 LongConsumer flushed) {
        this.dir = dir;
        this.failures = failures;
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.config = config;
        this.clock = clock;
        this.epochs = epochs;
        this.producers = producers;
        this.logStartOffset = logStartOffset;
        this.highWatermark = Math.min(highWatermark, logEndOffset);
        producers.transactions().onHighWatermark(this.highWatermark);
        this.background = new BackgroundTasks(topicPartition, scheduler);
        this.segments = new LogSegments(segments, logEndOffset,
                new SegmentDisposal(topicPartition, scheduler, () -> this.dir, () -> this.config));
        this.flusher = new LogFlusher(topicPartition, clock, segments, this.segments::endOffset, () -> this.dir,
                background, epochs, recoveryPoint, failures, flushed);
        this.appender = new LogAppender(topicPartition, () -> this.dir, this.segments, epochs, producers, flusher,
                background, failures);
        this.reader = new LogReader(topicPartition, this.segments, () -> this.logStartOffset, () -> this.dir,
                failures);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    /**
     * Records the topic id of a log loaded without one (its {@code partition.metadata} was never written, e.g. a
     * broker stopped while creating the log), as the metadata names it.
     */
    void assignTopicId(Uuid id) {
        PartitionMetadataFile.write(dir, id);
        topicId = id;
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
        return appendAsLeader(batches, leaderEpoch, false, null, false);
    }

    /**
     * Appends as {@link #appendAsLeader(ByteBuffer, int)} does batches of a producer whose transaction was confirmed
     * with the coordinator (KIP-890): a transactional batch that opens a transaction here needs the {@code guard}
     * {@link #startTransactionVerification} handed out, still current (INVALID_TXN_STATE otherwise).
     */
    public AppendResult appendVerifiedAsLeader(ByteBuffer batches, int leaderEpoch, VerificationGuard guard) {
        return appendAsLeader(batches, leaderEpoch, false, guard, true);
    }

    /** Starts confirming the producer's transaction before appending its transactional batches of {@code epoch}. */
    public VerificationGuard startTransactionVerification(long producerId, short epoch) {
        synchronized (appendLock) {
            return producers.startVerification(producerId, epoch, clock.millis());
        }
    }

    /**
     * Appends a batch a coordinator of this broker wrote to its partition, as {@link #appendAsLeader(ByteBuffer, int)}
     * does, except that a transactional batch (offsets committed in a transaction) carries no sequence: only its
     * producer epoch is checked (an older one is INVALID_PRODUCER_EPOCH), as Kafka does for its coordinators' writes.
     */
    public AppendResult appendAsCoordinator(ByteBuffer batches, int leaderEpoch) {
        return appendAsLeader(batches, leaderEpoch, true, null, false);
    }

    /**
     * {@link #appendAsCoordinator} for a transactional batch whose transaction was confirmed to include this partition
     * ({@link #startTransactionVerification}): refused with INVALID_TXN_STATE when {@code guard} is no longer the
     * producer's, because its transaction ended (a marker) since.
     */
    public AppendResult appendVerifiedAsCoordinator(ByteBuffer batches, int leaderEpoch, VerificationGuard guard) {
        return appendAsLeader(batches, leaderEpoch, true, guard, true);
    }

    private AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch, boolean fromCoordinator,
                                        VerificationGuard guard, boolean verified) {
        synchronized (appendLock) {
            checkNotDeleted();
            LogConfig cfg = config;
            parsed.parse(batches, cfg.maxMessageBytes(), true);
            try {
                long now = clock.millis();
                if (cfg.timestampType() == TimestampType.CREATE_TIME) {
                    CreateTimeBounds.check(parsed, cfg, now, topicPartition);
                }
                if (cfg.compact()) {
                    parsed.requireKeys(topicPartition);
                }
                ProducerStateManager.Duplicate duplicate = producers.validate(parsed, fromCoordinator, guard, verified);
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
            // No size check: the leader accepted these under its config, which may have been larger (Kafka's
            // followers ignore max.message.bytes too); refusing them would stop the partition's replication.
            parsed.parse(batches, Integer.MAX_VALUE, false);
            try {
                long expected = segments.endOffset();
                for (int i = 0; i < parsed.count(); i++) {
                    long base = parsed.baseOffset(i);
                    if (base < expected || (base > expected && !cfg.compact())) {
                        throw new InvalidRecordException("Replicated batch of " + topicPartition + " starts at offset "
                                + base + " but the next offset is " + expected + (base < expected ? " (overlap)"
                                : " (gap)"));
                    }
                    expected = parsed.lastOffset(i) + 1;
                }
                appender.write(parsed, batches, cfg, clock.millis());
                return segments.endOffset();
            } finally {
                parsed.clear();
            }
        }
    }

    /**
     * Writes the end marker of the producer's transaction (WriteTxnMarkers) as leader, once Kafka's checks pass: an
     * older producer epoch is INVALID_PRODUCER_EPOCH, an older coordinator epoch TRANSACTION_COORDINATOR_FENCED (see
     * {@link ProducerStateManager#checkMarker}); a negative producer id is INVALID_REQUEST, a negative epoch
     * INVALID_PRODUCER_EPOCH. An abort of an open transaction goes to the transaction index.
     */
    public AppendResult appendMarkerAsLeader(long producerId, short producerEpoch, int coordinatorEpoch,
                                             boolean commit, int transactionVersion, int leaderEpoch) {
        if (producerId < 0) {
            throw new InvalidRequestException("A transaction marker names producer id " + producerId);
        }
        if (producerEpoch < 0) {
            throw new InvalidProducerEpochException("A transaction marker names producer epoch " + producerEpoch);
        }
        synchronized (appendLock) {
            checkNotDeleted();
            producers.checkMarker(producerId, producerEpoch, coordinatorEpoch, transactionVersion);
            long now = clock.millis();
            ByteBuffer marker = TxnMarkers.build(producerId, producerEpoch, coordinatorEpoch, commit, now);
            parsed.parse(marker, Integer.MAX_VALUE, false);
            try {
                return appendAsLeader(marker, leaderEpoch, config, now);
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

    /** Assigns offsets from the log end and the leader epoch (and log append time if so configured), then writes. */
    private AppendResult appendAsLeader(ByteBuffer batches, int leaderEpoch, LogConfig cfg, long now) {
        boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
        long firstOffset = segments.endOffset();
        long nextOffset = firstOffset;
        for (int i = 0; i < parsed.count(); i++) {
            parsed.assign(i, nextOffset, leaderEpoch);
            if (logAppendTime) {
                parsed.setLogAppendTime(i, now);
            }
            nextOffset += parsed.offsetCount(i);
        }
        appender.write(parsed, batches, cfg, now);
        return new AppendResult(firstOffset, nextOffset - 1, logAppendTime ? now : -1, logStartOffset, false);
    }

    static long jitter(LogConfig cfg) {
        return cfg.segmentJitterMs() <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cfg.segmentJitterMs());
    }

    /**
     * Bytes from the batch holding {@code fetchOffset}, all from one segment: at most {@code maxBytes} (the last batch
     * may be cut there, as Kafka's reads are; the first batch comes whole if larger and {@code minOneMessage}), none
     * at or past {@code maxOffsetExclusive}. See {@link LogReader}.
     */
    public LogSlice read(long fetchOffset, int maxBytes, long maxOffsetExclusive, boolean minOneMessage) {
        return reader.read(fetchOffset, maxBytes, maxOffsetExclusive, minOneMessage);
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** The offset the next batch gets; a volatile read. */
    public long logEndOffset() {
        return segments.endOffset();
    }

    public int numberOfSegments() {
        return segments.view().segments().size();
    }

    /** Never above the log end, even while an update races a truncation that lowers the end. */
    public long highWatermark() {
        return Math.min(highWatermark, segments.endOffset());
    }

    /**
     * Set by the replication code: a leader's from its in-sync replicas, a follower's from its leader's, capped here
     * by this log's end. LogManager persists it in replication-offset-checkpoint and a reload caps it by the log end.
     */
    public void updateHighWatermark(long hw) {
        highWatermark = Math.min(hw, segments.endOffset());
        producers.transactions().onHighWatermark(highWatermark);
    }

    /**
     * The last stable offset: the first offset of the earliest transaction still open (or ended by a marker not yet
     * below the high watermark), capped at the high watermark. What read_committed consumers read up to. Lock-free.
     */
    public long lastStableOffset() {
        return producers.transactions().lastStableOffset(highWatermark());
    }

    /** The aborted transactions overlapping [{@code fetchOffset}, {@code upperBound}), for read_committed fetches. */
    public List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBound) {
        return TransactionIndex.collect(segments.view().segments(), fetchOffset, upperBound);
    }

    /**
     * Forgets the idempotent and transactional producers without an open transaction that wrote nothing here for
     * {@code expirationMs} (Kafka's {@code producer.id.expiration.ms}); returns how many.
     */
    public int expireProducers(long now, long expirationMs) {
        synchronized (appendLock) {
            return producers.expireProducers(now - expirationMs);
        }
    }

    /** Every producer with state in this log (DescribeProducers). */
    public List<ActiveProducer> activeProducers() {
        synchronized (appendLock) {
            return producers.activeProducers();
        }
    }

    /** The first record from the log start offset on whose timestamp is at least {@code timestampMs}. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestampMs) {
        try {
            return Optional.ofNullable(SegmentTimestamps.offsetFor(segments.view().segments().values(), timestampMs,
                    () -> logStartOffset));
        } catch (IOException e) {
            throw failures.failed(dir, "Cannot read " + topicPartition + " from " + dir, e);
        }
    }

    /** The record with the largest timestamp, the earliest one among ties. */
    public Optional<TimestampOffset> maxTimestampOffset() {
        try {
            return Optional.ofNullable(SegmentTimestamps.maxTimestampOffset(segments.map().values()));
        } catch (IOException e) {
            throw failures.failed(dir, "Cannot read " + topicPartition + " from " + dir, e);
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
                SegmentRetention.whollyBelow(segments.map(), segments.active(), target).forEach(segments::remove);
                segments.publishSegments();
            }
            return logStartOffset;
        }
    }

    /**
     * Removes every batch at and after {@code offset}: segments starting there or later go, the segment holding it is
     * replaced by a copy of its batches before the batch holding {@code offset} (so the log end becomes that batch's
     * base offset if one straddles {@code offset}), and the leader epochs starting at or after the new end, the
     * producer state, high watermark and recovery point follow. An offset at or below the log start empties the log
     * as {@link #truncateFullyAndStartAt} does; one at or past the end keeps every record but still drops the leader
     * epochs starting at its end (as Kafka does: a broker that led an epoch without appending to it
     * has that epoch's start at its log end, which a follower must forget or it would report the epoch as its last
     * fetched one and be told to truncate at the same offset again and again). Readers are unaffected (see
     * the class comment); removed files are deleted on the scheduler after file.delete.delay.ms. Crash-safe through
     * {@link PendingTruncation}. Does file I/O and fsyncs: only for the replica manager's executor, through
     * {@link LogManager#truncateTo}, which then checkpoints the lowered recovery point.
     */
    void truncateTo(long offset) {
        synchronized (appendLock) {
            checkNotDeleted();
            if (offset >= segments.endOffset()) {
                epochs.truncateFromEnd(segments.endOffset());
                return;
            }
            if (offset <= logStartOffset) {
                truncateFullyAndStartAt(offset);
                return;
            }
            LogConfig cfg = config;
            try {
                new PendingTruncation(false, offset).write(dir);
                synchronized (flusher.lock()) {
                    segments.removeFrom(offset);
                    LogSegment holding = segments.map().lastEntry().getValue();
                    int cut = holding.positionOf(offset);
                    boolean keepWhole = cut == holding.size();
                    if (!keepWhole) {
                        LogSegment kept = holding.copyPrefix(dir, cut, cfg.segmentIndexBytes(),
                                cfg.indexIntervalBytes(), epochs);
                        segments.swapInActive(holding, kept, LogFiles.TRUNCATED);
                    }
                    afterTruncation(segments.map().lastEntry().getValue().nextOffset());
                    long end = segments.endOffset();
                    LogLoader.replayProducers(segments.map(), producers.loadSnapshot(dir, end), producers,
                            Long.MAX_VALUE);
                    deleteSnapshotsAbove(end);
                    if (keepWhole) {
                        // The holding segment keeps all its bytes and stays sealed: a new one takes the appends.
                        appender.roll(cfg);
                    }
                }
                PendingTruncation.clear(dir);
            } catch (IOException e) {
                throw failures.failed(dir, "Cannot truncate " + topicPartition + " to offset " + offset, e);
            }
            LOG.info("{}: truncated to offset {}, log end offset now {}", topicPartition, offset, segments.endOffset());
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
                synchronized (flusher.lock()) {
                    segments.removeFrom(Long.MIN_VALUE);
                    epochs.clear();
                    producers.clear();
                    deleteSnapshotsAbove(-1);
                    logStartOffset = offset;
                    afterTruncation(offset);
                    flusher.restartAt(offset);
                    highWatermark = offset;
                    appender.roll(config);
                }
                PendingTruncation.clear(dir);
            } catch (IOException e) {
                throw failures.failed(dir, "Cannot truncate " + topicPartition + " fully to " + offset, e);
            }
            LOG.info("{}: truncated fully, log now starts at offset {}", topicPartition, offset);
        }
    }

    /** Completes a truncation a crash interrupted (at load, before the log is shared). */
    void completeTruncation(PendingTruncation pending) {
        if (pending.full()) {
            truncateFullyAndStartAt(pending.offset());
        } else if (pending.offset() < segments.endOffset()) {
            truncateTo(pending.offset());
        } else {
            try {
                PendingTruncation.clear(dir);
            } catch (IOException e) {
                throw failures.failed(dir, "Cannot complete the truncation of " + topicPartition, e);
            }
        }
    }

    /** Publishes the new end with the current segments and lowers what may no longer exceed it. */
    private void afterTruncation(long end) {
        segments.publish(end);
        epochs.truncateFromEnd(end);
        flusher.truncated(end);
        highWatermark = Math.min(highWatermark, end);
    }

    /**
     * Deletes the producer snapshots above {@code offset} now, and again once the snapshot writes already queued on
     * the scheduler (by rolls before the truncation) have run.
     */
    private void deleteSnapshotsAbove(long offset) throws IOException {
        ProducerStateManager.deleteSnapshotsAbove(dir, offset);
        Path snapshotDir = dir;
        background.run("producer snapshot deletion", () -> {
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
            List<LogSegment> expired = SegmentRetention.expired(segments.map(), segments.active(), cfg, size(), nowMs);
            if (expired.isEmpty()) {
                return 0;
            }
            long next = segments.map().higherKey(expired.get(expired.size() - 1).baseOffset());
            logStartOffset = Math.max(logStartOffset, next);
            expired.forEach(segments::remove);
            segments.publishSegments();
            LOG.info("{}: retention deleted {} segment(s), log start offset now {}", topicPartition, expired.size(),
                    logStartOffset);
            return expired.size();
        }
    }

    /** Bytes in all segments: Kafka's Log Size metric, and what DescribeLogDirs reports as the partition's size. */
    public long size() {
        return segments.size();
    }

    /** The closed segments, oldest first: what the cleaner may rewrite. */
    List<LogSegment> closedSegments() {
        return segments.closedSegments();
    }

    long activeBaseOffset() {
        return segments.active().baseOffset();
    }

    /** Offset where the segment after {@code segment} starts. */
    long nextSegmentBase(LogSegment segment) {
        return segments.nextSegmentBase(segment);
    }

    /** Each idempotent producer's last batch: the cleaner keeps those so producer state reloads. */
    LastProducerBatches lastProducerBatches() {
        synchronized (appendLock) {
            return producers.lastBatches();
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
            if (deleted || segments.map().get(base) != old) {
                cleaned.close();
                LogFiles.deleteSegment(dir, base, LogFiles.CLEANED);
                return false;
            }
            segments.swapIn(old, cleaned, LogFiles.CLEANED);
            segments.publishSegments();
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

    /** The leader epoch of the record at the log start offset, or -1 when no epoch is known for it. */
    public int logStartEpoch() {
        return epochs.epochAt(logStartOffset);
    }

    /** The leader epoch of the last batch in the log, or -1 if the log is empty. */
    public int lastBatchEpoch() {
        return epochs.epochAt(segments.endOffset() - 1);
    }

    /**
     * Where {@code epoch} ends (OffsetsForLeaderEpoch), empty for an epoch newer than the log's: for the latest
     * epoch the log end; for an older one the start of the next known epoch, and an epoch the log never had answers
     * with the largest epoch below it.
     */
    public Optional<EpochEndOffset> endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, segments.endOffset());
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
        flusher.flush();
    }

    /** Flushes if flush.ms has passed since the last flush (called by the scheduler). */
    void flushIfDue(long nowMs) {
        flusher.flushIfDue(nowMs, config.flushMs());
    }

    long recoveryPoint() {
        return flusher.recoveryPoint();
    }

    Path dir() {
        return dir;
    }

    /** For clean shutdown: flushes, writes the producer snapshot, seals and closes every segment. */
    void close() throws IOException {
        synchronized (appendLock) {
            flush();
            epochs.flush(); // epochs rebuilt at load with nothing appended since: no flush wrote them
            ProducerStateManager.writeSnapshot(dir, segments.endOffset(), producers.snapshot());
            closeSegments();
        }
    }

    /**
     * Ends this log in favour of {@code future}, its copy in another log dir, and returns where the copy is to be
     * loaded from: under the append lock (no append, truncation or retention meanwhile) the batches appended since the
     * last copy are copied, the copy is closed (flushed) with this log's producer state and leader epochs written in
     * place of its own, and this directory moves to {@code deleteDir} (as {@link #markDeleted}). A crash after that
     * move leaves the complete copy and no current log, which loading takes as the current one. The caller holds
     * {@code future}'s monitor.
     */
    LogLoader.Checkpoints handOverTo(FutureLog future, Path deleteDir) throws IOException {
        synchronized (appendLock) {
            checkNotDeleted();
            while (future.copyFrom(this, FUTURE_COPY_BYTES) > 0) {
                // what producers appended since the mover's last copy
            }
            PartitionLog copy = future.log();
            long end = segments.endOffset();
            copy.close();
            ProducerStateManager.writeSnapshot(copy.dir(), end, producers.snapshot());
            epochs.writeTo(copy.dir());
            LogLoader.Checkpoints checkpoints = new LogLoader.Checkpoints(true, end, highWatermark(), logStartOffset);
            markDeleted(deleteDir);
            return checkpoints;
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
            for (LogSegment segment : segments.map().values()) {
                segment.seal();
                segment.close();
            }
        }
    }
}
