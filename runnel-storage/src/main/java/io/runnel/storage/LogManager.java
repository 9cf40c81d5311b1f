package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InconsistentTopicIdException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the log dirs and every partition log in them. Background work (flush by flush.ms, checkpoints, retention,
 * deletion of deleted logs and segments) runs on one daemon scheduler thread, never on the caller's; compaction on
 * the {@link LogCleaner}'s threads.
 */
public final class LogManager implements AutoCloseable {
    static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    static final String METADATA_LOG_DIR = "__cluster_metadata-0";
    static final String DELETE_SUFFIX = "-delete";
    /** Kafka's replica.high.watermark.checkpoint.interval.ms default; also used for the recovery points. */
    static final long CHECKPOINT_INTERVAL_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final AtomicInteger SCHEDULER_IDS = new AtomicInteger();

    private final List<Path> logDirs;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    /** Deleted logs whose files are still open, awaiting file.delete.delay.ms. */
    private final Map<Path, PartitionLog> pendingDeletes = new ConcurrentHashMap<>();
    private final LogCleaner cleaner;
    private final Object checkpointLock = new Object();
    private final List<LogListener> listeners = new CopyOnWriteArrayList<>();
    private final LogDirFailureChannel failures = new LogDirFailureChannel(this::scheduleTakeOffline);
    private volatile LogDirFailureListener failureListener = (dir, partitions) -> { };

    public LogManager(List<Path> logDirs, LogManagerConfig config) {
        this(logDirs, config, Clock.systemUTC());
    }

    /** With Kafka's defaults but for the flush check interval, and an explicit clock. */
    public LogManager(List<Path> logDirs, long flushCheckIntervalMs, Clock clock) {
        this(logDirs, LogManagerConfig.defaults(flushCheckIntervalMs), clock);
    }

    /** With an explicit clock for segment age, flush.ms, log append time, retention and compaction. */
    public LogManager(List<Path> logDirs, LogManagerConfig config, Clock clock) {
        this.logDirs = List.copyOf(logDirs);
        this.clock = clock;
        for (Path dir : this.logDirs) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create log dir " + dir, e);
            }
        }
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "runnel-log-scheduler-" + SCHEDULER_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long flushCheckIntervalMs = config.flushCheckIntervalMs();
        if (flushCheckIntervalMs > 0) {
            scheduler.scheduleWithFixedDelay(logged("flush check", this::flushDueLogs),
                    flushCheckIntervalMs, flushCheckIntervalMs, TimeUnit.MILLISECONDS);
        }
        scheduler.scheduleWithFixedDelay(logged("checkpoint", this::writeCheckpoints),
                CHECKPOINT_INTERVAL_MS, CHECKPOINT_INTERVAL_MS, TimeUnit.MILLISECONDS);
        long retentionIntervalMs = Math.max(1, config.retentionCheckIntervalMs());
        scheduler.scheduleWithFixedDelay(logged("retention", this::deleteRetainedSegments),
                retentionIntervalMs, retentionIntervalMs, TimeUnit.MILLISECONDS);
        long expirationCheckMs = Math.max(1, config.producerIdExpirationCheckIntervalMs());
        long expirationMs = config.producerIdExpirationMs();
        scheduler.scheduleWithFixedDelay(logged("producer id expiration", () -> expireProducers(expirationMs)),
                expirationCheckMs, expirationCheckMs, TimeUnit.MILLISECONDS);
        this.cleaner = new LogCleaner(config, clock, this::allLogs);
    }

    private void flushed(long nanos) {
        listeners.forEach(l -> l.onLogFlushed(nanos));
    }

    /** Add before {@link #loadLogs} to hear of every log. */
    public void addListener(LogListener listener) {
        listeners.add(listener);
    }

    /**
     * Opens every {@code <topic>-<partition>} directory of every log dir, recovering the logs of a dir that lacks the
     * clean-shutdown marker; finishes deleting {@code -delete} directories.
     */
    public synchronized void loadLogs(Function<TopicPartition, LogConfig> configFor) {
        for (Path logDir : logDirs) {
            try {
                loadLogDir(logDir, configFor);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot load the logs in " + logDir, e);
            }
        }
    }

    private void loadLogDir(Path logDir, Function<TopicPartition, LogConfig> configFor) throws IOException {
        Path marker = logDir.resolve(CLEAN_SHUTDOWN_FILE);
        boolean clean = Files.exists(marker);
        Map<TopicPartition, Long> recoveryPoints = readCheckpoint(logDir, OffsetCheckpointFile.RECOVERY_POINT);
        Map<TopicPartition, Long> highWatermarks = readCheckpoint(logDir, OffsetCheckpointFile.HIGH_WATERMARK);
        Map<TopicPartition, Long> logStarts = readCheckpoint(logDir, OffsetCheckpointFile.LOG_START);
        cleaner.loadCheckpoint(logDir);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(logDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                TopicPartition tp = parseTopicPartition(name);
                if (name.endsWith(DELETE_SUFFIX)) {
                    scheduler.execute(logged("delete " + name, () -> deleteRecursively(dir)));
                } else if (tp == null) {
                    LOG.warn("Skipping {}: not a <topic>-<partition> directory", dir);
                } else if (!name.equals(METADATA_LOG_DIR)) {
                    LogLoader.Checkpoints checkpoints = new LogLoader.Checkpoints(clean,
                            recoveryPoints.getOrDefault(tp, -1L), highWatermarks.getOrDefault(tp, -1L),
                            logStarts.getOrDefault(tp, -1L));
                    Uuid topicId = PartitionMetadataFile.read(dir).orElse(Uuid.ZERO_UUID);
                    addLoaded(LogLoader.load(dir, tp, topicId, configFor.apply(tp), checkpoints, clock, scheduler,
                            failures, this::flushed));
                }
            }
        }
        // The marker must not survive start-up: a crash from here on has to trigger recovery.
        Files.deleteIfExists(marker);
    }

    private static Map<TopicPartition, Long> readCheckpoint(Path logDir, String name) {
        return OffsetCheckpointFile.read(logDir.resolve(name));
    }

    private void addLoaded(PartitionLog log) {
        PartitionLog previous = logs.put(log.topicPartition(), log);
        if (previous != null) {
            throw new IllegalStateException("Partition " + log.topicPartition() + " is in both " + previous.dir()
                    + " and " + log.dir());
        }
        listeners.forEach(l -> l.onLogOpened(log));
    }

    /** The existing log, or a new one in the log dir that holds the fewest partitions. */
    public synchronized PartitionLog getOrCreateLog(TopicPartition tp, Uuid topicId, LogConfig config) {
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            if (!existing.topicId().equals(topicId) && !Uuid.ZERO_UUID.equals(existing.topicId())
                    && !Uuid.ZERO_UUID.equals(topicId)) {
                throw new InconsistentTopicIdException("Log of " + tp + " has topic id " + existing.topicId()
                        + ", not " + topicId);
            }
            if (Uuid.ZERO_UUID.equals(existing.topicId()) && !Uuid.ZERO_UUID.equals(topicId)) {
                existing.assignTopicId(topicId);
            }
            return existing;
        }
        Path dir = leastLoadedDir().resolve(tp.topic() + "-" + tp.partition());
        try {
            Files.createDirectories(dir);
            PartitionMetadataFile.write(dir, topicId);
            PartitionLog log = LogLoader.load(dir, tp, topicId, config, LogLoader.Checkpoints.NEW_LOG, clock,
                    scheduler, failures, this::flushed);
            logs.put(tp, log);
            listeners.forEach(l -> l.onLogOpened(log));
            return log;
        } catch (IOException e) {
            // A partition whose log cannot be created stays unhosted and is tried again (the replica manager's
            // retry), without taking the dir offline: the dir's other logs are not at fault.
            throw new KafkaStorageException("Cannot create the log of " + tp + " in " + dir, e);
        }
    }

    /** Of the online log dirs, the one holding the fewest partitions (Kafka's LogManager.nextLogDirs). */
    private Path leastLoadedDir() {
        List<Path> online = logDirs.stream().filter(d -> !failures.isOffline(d)).toList();
        if (online.isEmpty()) {
            throw new KafkaStorageException("Every log dir of this broker is offline: " + logDirs);
        }
        Map<Path, Integer> counts = new HashMap<>();
        online.forEach(d -> counts.put(d, 0));
        logs.values().forEach(log -> counts.computeIfPresent(log.dir().getParent(), (d, n) -> n + 1));
        return Collections.min(online, (a, b) -> Integer.compare(counts.get(a), counts.get(b)));
    }

    /** Whether an I/O error took the log dir offline. */
    public boolean isOffline(Path logDir) {
        return failures.isOffline(logDir);
    }

    /** Who is told when a log dir goes offline (the replica manager); set before the logs are used. */
    public void onLogDirFailure(LogDirFailureListener listener) {
        this.failureListener = listener;
    }

    /** Off the failing thread, which may hold a log's locks; a closing manager has nothing left to take offline. */
    private void scheduleTakeOffline(Path logDir) {
        try {
            scheduler.execute(logged("take " + logDir + " offline", () -> takeOffline(logDir)));
        } catch (RejectedExecutionException closing) {
            LOG.warn("Not taking {} offline: the log manager is closing", logDir);
        }
    }

    /** Stops serving every log of the dir and closes its files, as Kafka's LogManager.handleLogDirFailure. */
    private void takeOffline(Path logDir) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionLog log : logsIn(logDir)) {
            if (logs.remove(log.topicPartition(), log)) {
                partitions.add(log.topicPartition());
                listeners.forEach(l -> l.onLogGone(log));
                cleaner.forget(log.topicPartition());
                try {
                    log.closeSegments();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Cannot close the log of {} in offline dir {}", log.topicPartition(), logDir, e);
                }
            }
        }
        LOG.error("Log dir {} offline: no longer serving {}", logDir, partitions);
        failureListener.onLogDirFailure(logDir, partitions);
    }

    /** The log dirs, in the order of log.dirs. */
    public List<Path> logDirs() {
        return logDirs;
    }

    /** The partition logs whose directory is in {@code logDir}. */
    public List<PartitionLog> logsIn(Path logDir) {
        return logs.values().stream().filter(log -> log.dir().getParent().equals(logDir)).toList();
    }

    public Optional<PartitionLog> getLog(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Collection<PartitionLog> allLogs() {
        return Collections.unmodifiableCollection(new ArrayList<>(logs.values()));
    }

    /**
     * Stops the log and renames its directory to {@code <topic>-<partition>.<uuid>-delete}; its files stay open and are
     * removed after file.delete.delay.ms so that reads already handed out finish.
     */
    public synchronized void deleteLog(TopicPartition tp) {
        PartitionLog log = logs.remove(tp);
        if (log == null) {
            return;
        }
        cleaner.forget(tp);
        listeners.forEach(l -> l.onLogGone(log));
        Path current = log.dir();
        Path deleted = current.resolveSibling(current.getFileName() + "."
                + UUID.randomUUID().toString().replace("-", "") + DELETE_SUFFIX);
        try {
            log.markDeleted(deleted);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot rename " + current + " for deletion", e);
        }
        pendingDeletes.put(deleted, log);
        scheduler.schedule(logged("delete " + deleted, () -> {
            try {
                log.closeSegments();
            } finally {
                pendingDeletes.remove(deleted);
                deleteRecursively(deleted);
            }
        }), Math.max(0, log.config().fileDeleteDelayMs()), TimeUnit.MILLISECONDS);
    }

    /**
     * Truncates the log of {@code tp} to {@code offset} ({@link PartitionLog#truncateTo}) and checkpoints its log
     * dir, so that a restart never trusts a recovery point or high watermark above the new end. For the replica
     * manager's executor: file I/O and fsyncs, never on an event loop.
     */
    public void truncateTo(TopicPartition tp, long offset) {
        PartitionLog log = requireLog(tp);
        log.truncateTo(offset);
        cleaner.truncated(log);
        writeCheckpoints(log.dir().getParent());
    }

    /** {@link PartitionLog#truncateFullyAndStartAt}, then checkpoints the log dir; same threading as truncateTo. */
    public void truncateFullyAndStartAt(TopicPartition tp, long offset) {
        PartitionLog log = requireLog(tp);
        log.truncateFullyAndStartAt(offset);
        cleaner.truncated(log);
        writeCheckpoints(log.dir().getParent());
    }

    private PartitionLog requireLog(TopicPartition tp) {
        PartitionLog log = logs.get(tp);
        if (log == null) {
            throw new KafkaStorageException("No log for " + tp + " on this broker");
        }
        return log;
    }

    /** Flushes every log, writes producer snapshots and checkpoints, then the clean-shutdown marker of each dir. */
    @Override
    public synchronized void close() {
        cleaner.close();
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("Background log tasks did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean allClosed = true;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                allClosed = false;
                LOG.error("Cannot close the log of {}", log.topicPartition(), e);
            }
        }
        // Deletions still waiting are finished at the next start-up, which removes every -delete directory.
        for (PartitionLog log : pendingDeletes.values()) {
            try {
                log.closeSegments();
            } catch (IOException e) {
                LOG.warn("Cannot close the deleted log of {}", log.topicPartition(), e);
            }
        }
        pendingDeletes.clear();
        writeCheckpoints();
        if (allClosed) {
            for (Path dir : logDirs) {
                if (!failures.isOffline(dir)) {
                    AtomicFile.write(dir.resolve(CLEAN_SHUTDOWN_FILE), "");
                }
            }
        }
        logs.clear();
    }

    /** Retention of every log whose cleanup.policy contains delete (log.retention.check.interval.ms). */
    private void deleteRetainedSegments() {
        long now = clock.millis();
        for (PartitionLog log : logs.values()) {
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
        for (PartitionLog log : logs.values()) {
            int expired = log.expireProducers(now, expirationMs);
            if (expired > 0) {
                LOG.debug("Expired {} producer ids of {}", expired, log.topicPartition());
            }
        }
    }

    LogCleaner cleaner() {
        return cleaner;
    }

    /** The log cleaner's state for Kafka's LogCleaner and LogCleanerManager metrics. */
    public LogCleanerStats cleanerStats() {
        return cleaner.stats();
    }

    /** Compacted logs of {@code logDir} whose last clean failed (Kafka's uncleanable-partitions-count). */
    public int uncleanablePartitions(Path logDir) {
        return cleaner.uncleanablePartitions(logDir);
    }

    /**
     * Restarts the log cleaner with new {@code log.cleaner.threads}, {@code log.cleaner.dedupe.buffer.size} and
     * {@code log.cleaner.backoff.ms} (dynamic broker configs); does not wait for a clean under way.
     */
    public void reconfigureCleaner(int threads, long dedupeBufferSize, long backoffMs) {
        cleaner.reconfigure(threads, dedupeBufferSize, backoffMs);
    }

    private void flushDueLogs() {
        long now = clock.millis();
        for (PartitionLog log : logs.values()) {
            try {
                log.flushIfDue(now);
            } catch (RuntimeException e) {
                LOG.warn("Periodic flush of {} failed", log.topicPartition(), e);
            }
        }
    }

    private void writeCheckpoints() {
        logDirs.forEach(this::writeCheckpoints);
    }

    /**
     * Serialised: the scheduler and truncations write the same files (through the same temporary file). An offline
     * dir is left alone: its logs are no longer served.
     */
    private void writeCheckpoints(Path logDir) {
        if (failures.isOffline(logDir)) {
            return;
        }
        synchronized (checkpointLock) {
            Map<TopicPartition, Long> recoveryPoints = new HashMap<>();
            Map<TopicPartition, Long> highWatermarks = new HashMap<>();
            Map<TopicPartition, Long> logStarts = new HashMap<>();
            for (PartitionLog log : logs.values()) {
                if (log.dir().getParent().equals(logDir)) {
                    recoveryPoints.put(log.topicPartition(), log.recoveryPoint());
                    highWatermarks.put(log.topicPartition(), log.highWatermark());
                    logStarts.put(log.topicPartition(), log.logStartOffset());
                }
            }
            OffsetCheckpointFile.write(logDir.resolve(OffsetCheckpointFile.RECOVERY_POINT), recoveryPoints);
            OffsetCheckpointFile.write(logDir.resolve(OffsetCheckpointFile.HIGH_WATERMARK), highWatermarks);
            OffsetCheckpointFile.write(logDir.resolve(OffsetCheckpointFile.LOG_START), logStarts);
        }
    }

    /** {@code <topic>-<partition>}, split at the last dash; null if the name is not one. */
    static TopicPartition parseTopicPartition(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return null;
        }
        try {
            int partition = Integer.parseInt(name.substring(dash + 1));
            return partition < 0 ? null : new TopicPartition(name.substring(0, dash), partition);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private interface IoTask {
        void run() throws IOException;
    }

    /** Background tasks log their failures: an exception must not cancel a periodic task. */
    private static Runnable logged(String what, IoTask task) {
        return () -> {
            try {
                task.run();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Background task '{}' failed", what, e);
            }
        };
    }
}
