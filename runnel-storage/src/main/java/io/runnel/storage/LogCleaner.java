package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction of the logs whose cleanup.policy contains compact, on log.cleaner.threads threads each holding an equal
 * share of log.cleaner.dedupe.buffer.size. Each pass cleans the dirtiest log whose dirty ratio reaches
 * min.cleanable.dirty.ratio (or whose dirty section is older than max.compaction.lag.ms, or whose kept tombstones
 * or transaction markers are due for removal), then the next, and sleeps log.cleaner.backoff.ms when none is. Never
 * touches the active segment, nor records at or beyond the last stable offset, nor segments holding records newer
 * than min.compaction.lag.ms. Where each log's clean ended is kept per log dir in {@code cleaner-offset-checkpoint}.
 */
final class LogCleaner implements AutoCloseable {
    static final String CHECKPOINT = "cleaner-offset-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** The part of a log a clean would cover, and its size against the already clean part. */
    record DirtySection(long firstDirty, long firstUncleanable, long cleanBytes, long dirtyBytes, boolean lagPassed,
                        long compactionDelayMs) {
        double ratio() {
            return dirtyBytes == 0 ? 0 : (double) dirtyBytes / (cleanBytes + dirtyBytes);
        }
    }

    private final Clock clock;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Map<TopicPartition, Long> cleanedTo = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> removalHorizons = new ConcurrentHashMap<>();
    private final Set<TopicPartition> inProgress = ConcurrentHashMap.newKeySet();
    /** Every pool started, the current one last; a replaced pool's threads finish the clean under way, then end. */
    private final List<ScheduledThreadPoolExecutor> pools = new ArrayList<>();
    /** Logs whose clean failed, skipped until deleted (Kafka's uncleanable partitions). */
    private final Set<TopicPartition> uncleanable = ConcurrentHashMap.newKeySet();
    /** The current threads' cleaners and their scheduled runs: what the metrics read. */
    private final List<Cleaner> cleaners = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> runs = new CopyOnWriteArrayList<>();
    private volatile LogManagerConfig config;
    private volatile boolean stopping;
    private volatile double dirtiestRatio;
    private volatile long maxCompactionDelayMs;
    private volatile long lastRunMs;

    LogCleaner(LogManagerConfig config, Clock clock, Supplier<Collection<PartitionLog>> logs) {
        this.config = config;
        this.clock = clock;
        this.logs = logs;
        this.lastRunMs = clock.millis();
        startThreads();
    }

    private synchronized void startThreads() {
        int count = config.cleanerEnable() ? config.cleanerThreads() : 0;
        if (count == 0) {
            return;
        }
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(count, r -> {
            Thread t = new Thread(r, "runnel-log-cleaner-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long backoff = Math.max(1, config.cleanerBackoffMs());
        cleaners.clear();
        runs.clear();
        for (int i = 0; i < count; i++) {
            Cleaner cleaner = newCleaner();
            cleaners.add(cleaner);
            runs.add(pool.scheduleWithFixedDelay(() -> cleanDirtiestLogs(cleaner, pool::isShutdown), backoff, backoff,
                    TimeUnit.MILLISECONDS));
        }
        pools.removeIf(ScheduledThreadPoolExecutor::isTerminated);
        pools.add(pool);
    }

    /**
     * Applies new {@code log.cleaner.threads}, {@code log.cleaner.dedupe.buffer.size} and
     * {@code log.cleaner.backoff.ms} at run time, as Kafka does: the current threads stop after the clean under way
     * (without being waited for) and new ones start with the new settings.
     */
    synchronized void reconfigure(int threads, long dedupeBufferSize, long backoffMs) {
        if (stopping) {
            return;
        }
        config = config.withCleaner(config.cleanerEnable(), threads, dedupeBufferSize, backoffMs);
        pools.forEach(ScheduledThreadPoolExecutor::shutdown);
        startThreads();
        LOG.info("Log cleaner reconfigured: {} threads, dedupe buffer {} bytes, backoff {} ms", threads,
                dedupeBufferSize, backoffMs);
    }

    private Cleaner newCleaner() {
        LogManagerConfig current = config;
        long share = current.cleanerDedupeBufferSize() / Math.max(1, current.cleanerThreads());
        return new Cleaner((int) Math.min(Integer.MAX_VALUE, share), clock, () -> stopping);
    }

    void loadCheckpoint(Path logDir) {
        cleanedTo.putAll(OffsetCheckpointFile.read(logDir.resolve(CHECKPOINT)));
    }

    void forget(TopicPartition tp) {
        uncleanable.remove(tp);
        cleanedTo.remove(tp);
        removalHorizons.remove(tp);
    }

    /** After a truncation: the log is clean at most up to its new end (Kafka's maybeTruncateCheckpoint). */
    void truncated(PartitionLog log) {
        Long cleaned = cleanedTo.get(log.topicPartition());
        if (cleaned != null && cleaned > log.logEndOffset()) {
            cleanedTo.put(log.topicPartition(), log.logEndOffset());
            writeCheckpoint(log.dir().getParent());
        }
    }

    /** Cleans {@code log} now whatever its dirty ratio, on the caller's thread; false if it was being cleaned. */
    boolean cleanNow(PartitionLog log) throws IOException {
        if (!inProgress.add(log.topicPartition())) {
            return false;
        }
        try {
            return clean(newCleaner(), log);
        } finally {
            inProgress.remove(log.topicPartition());
        }
    }

    /** One pass of a cleaner thread, for tests: every due log cleaned, dirtiest first. */
    void cleanDirtiestLogs() {
        cleanDirtiestLogs(newCleaner(), () -> false);
    }

    /**
     * Cleans the due logs, dirtiest first, until none is due or {@code shutDown}. A log whose clean fails (a corrupt
     * batch) is left alone until it is deleted or the broker restarts, as Kafka's uncleanable partitions are: retried,
     * it would fail again and, being the dirtiest, keep every other log from being cleaned.
     */
    private void cleanDirtiestLogs(Cleaner cleaner, BooleanSupplier shutDown) {
        PartitionLog log;
        while (!stopping && !shutDown.getAsBoolean() && (log = grabDirtiest()) != null) {
            try {
                clean(cleaner, log);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cleaning {} failed; it stays uncleaned until it is deleted or the broker restarts",
                        log.topicPartition(), e);
                uncleanable.add(log.topicPartition());
            } finally {
                inProgress.remove(log.topicPartition());
            }
        }
    }

    private synchronized PartitionLog grabDirtiest() {
        long now = clock.millis();
        lastRunMs = now;
        PartitionLog best = null;
        double bestRatio = -1;
        long maxDelayMs = 0;
        for (PartitionLog log : logs.get()) {
            if (!log.config().compact() || log.isDeleted() || inProgress.contains(log.topicPartition())
                    || uncleanable.contains(log.topicPartition())) {
                continue;
            }
            DirtySection dirty = dirtySection(log, now);
            maxDelayMs = Math.max(maxDelayMs, dirty.compactionDelayMs());
            Long horizon = removalHorizons.get(log.topicPartition());
            boolean due = dirty.dirtyBytes() > 0
                    && (dirty.ratio() >= log.config().minCleanableDirtyRatio() || dirty.lagPassed())
                    || horizon != null && now >= horizon;
            if (due && dirty.ratio() > bestRatio) {
                best = log;
                bestRatio = dirty.ratio();
            }
        }
        if (best != null) {
            inProgress.add(best.topicPartition());
        }
        dirtiestRatio = Math.max(0, bestRatio);
        maxCompactionDelayMs = maxDelayMs;
        return best;
    }

    DirtySection dirtySection(PartitionLog log, long now) {
        LogConfig cfg = log.config();
        long start = log.logStartOffset();
        long checkpoint = cleanedTo.getOrDefault(log.topicPartition(), start);
        long firstDirty = checkpoint < start || checkpoint > log.logEndOffset() ? start : checkpoint;
        // As Kafka: nothing at or after the last stable offset, where transactions may still be open.
        long firstUncleanable = Math.min(log.activeBaseOffset(), log.lastStableOffset());
        long cleanBytes = 0;
        long dirtyBytes = 0;
        boolean lagPassed = false;
        long compactionDelayMs = 0;
        boolean firstDirtySeen = false;
        for (LogSegment segment : log.closedSegments()) {
            boolean tooRecent = segment.size() > 0 && now - segment.maxTimestamp() < cfg.minCompactionLagMs();
            if (tooRecent) {
                firstUncleanable = Math.min(firstUncleanable, segment.baseOffset());
            }
            if (segment.baseOffset() >= firstUncleanable) {
                break;
            }
            if (log.nextSegmentBase(segment) <= firstDirty) {
                cleanBytes += segment.size();
            } else {
                dirtyBytes += segment.size();
                if (!firstDirtySeen) {
                    firstDirtySeen = true;
                    lagPassed = segment.size() > 0 && now - segment.maxTimestamp() > cfg.maxCompactionLagMs();
                    compactionDelayMs = lagPassed ? now - segment.maxTimestamp() - cfg.maxCompactionLagMs() : 0;
                }
            }
        }
        if (firstUncleanable <= firstDirty) {
            return new DirtySection(firstDirty, firstDirty, cleanBytes + dirtyBytes, 0, false, 0);
        }
        return new DirtySection(firstDirty, firstUncleanable, cleanBytes, dirtyBytes, lagPassed, compactionDelayMs);
    }

    private boolean clean(Cleaner cleaner, PartitionLog log) throws IOException {
        TopicPartition tp = log.topicPartition();
        DirtySection dirty = dirtySection(log, clock.millis());
        Cleaner.Result result = cleaner.clean(log, dirty.firstDirty(), dirty.firstUncleanable());
        if (result == null) {
            return false;
        }
        cleanedTo.put(tp, result.cleanedTo());
        if (result.removalsPending()) {
            removalHorizons.put(tp, clock.millis() + log.config().deleteRetentionMs());
        } else {
            removalHorizons.remove(tp);
        }
        writeCheckpoint(log.dir().getParent());
        LOG.info("{}: cleaned up to offset {} (dirty ratio was {})", tp, result.cleanedTo(),
                String.format("%.2f", dirty.ratio()));
        return true;
    }

    LogCleanerStats stats() {
        long read = 0;
        long written = 0;
        long maxElapsedMs = 0;
        double maxUtilization = 0;
        for (Cleaner cleaner : cleaners) {
            Cleaner.Result last = cleaner.last();
            if (last != null) {
                read += last.bytesRead();
                written += last.bytesWritten();
                maxElapsedMs = Math.max(maxElapsedMs, cleaner.lastElapsedMs());
                maxUtilization = Math.max(maxUtilization, last.bufferUtilization());
            }
        }
        int dead = 0;
        for (ScheduledFuture<?> run : runs) {
            // A periodic run is done only when it threw (it is never cancelled but by shutdown).
            if (run.isDone() && !run.isCancelled()) {
                dead++;
            }
        }
        return new LogCleanerStats((int) (100 * dirtiestRatio), clock.millis() - lastRunMs,
                (int) (100 * written / Math.max(read, 1)), (int) (maxElapsedMs / 1000), (int) (100 * maxUtilization),
                maxCompactionDelayMs / 1000, dead);
    }

    /** The logs of {@code logDir} whose last clean failed. */
    int uncleanablePartitions(Path logDir) {
        return uncleanableLogs(logDir).size();
    }

    /** The bytes those logs' next clean would cover, as Kafka's uncleanable-bytes counts them. */
    long uncleanableBytes(Path logDir) {
        long now = clock.millis();
        long bytes = 0;
        for (PartitionLog log : uncleanableLogs(logDir)) {
            bytes += dirtySection(log, now).dirtyBytes();
        }
        return bytes;
    }

    private List<PartitionLog> uncleanableLogs(Path logDir) {
        List<PartitionLog> found = new ArrayList<>();
        for (PartitionLog log : logs.get()) {
            if (uncleanable.contains(log.topicPartition()) && log.dir().getParent().equals(logDir)) {
                found.add(log);
            }
        }
        return found;
    }

    private synchronized void writeCheckpoint(Path logDir) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (PartitionLog log : logs.get()) {
            Long offset = cleanedTo.get(log.topicPartition());
            if (offset != null && log.dir().getParent().equals(logDir)) {
                offsets.put(log.topicPartition(), offset);
            }
        }
        OffsetCheckpointFile.write(logDir.resolve(CHECKPOINT), offsets);
    }

    /** Stops the threads; a clean under way stops at its next chunk, leaving a {@code .cleaned} file recovery drops. */
    @Override
    public void close() {
        List<ScheduledThreadPoolExecutor> started;
        synchronized (this) {
            stopping = true;
            started = List.copyOf(pools);
        }
        started.forEach(ScheduledThreadPoolExecutor::shutdown);
        try {
            for (ScheduledThreadPoolExecutor pool : started) {
                if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                    LOG.warn("The log cleaner did not stop within 60 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
