package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.apache.kafka.common.errors.LogDirNotFoundException;
import org.apache.kafka.common.errors.ReplicaNotAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the log dirs and every partition log in them, and is the storage's entry point for the broker: a dir is loaded
 * at start-up by the {@link LogDirLoader}, replicas move between dirs through {@link LogDirMoves}, deleted logs wait
 * in {@link DeletedLogs} and offsets are checkpointed by {@link LogDirCheckpoints}. Background work
 * ({@link PeriodicLogTasks}, deletion of deleted logs and segments) runs on one daemon scheduler thread, never on the
 * caller's; compaction on the {@link LogCleaner}'s threads.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    private static final AtomicInteger SCHEDULER_IDS = new AtomicInteger();

    private final List<Path> logDirs;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final DeletedLogs deletedLogs;
    private final LogDirLoader loader;
    private final LogDirMoves moves;
    private final LogCleaner cleaner;
    private final LogDirCheckpoints checkpoints;
    private final List<LogListener> listeners = new CopyOnWriteArrayList<>();
    private final LogDirFailureChannel failures = new LogDirFailureChannel(this::scheduleTakeOffline);
    private volatile LogDirFailureListener failureListener = (dir, partitions) -> { };
    /** The broker epoch the last shutdown ended cleanly in every dir, else {@link CleanShutdownFile#NO_EPOCH}. */
    private volatile long previousBrokerEpoch = CleanShutdownFile.NO_EPOCH;
    /** The broker epoch a clean shutdown of this process records. */
    private volatile long brokerEpoch = CleanShutdownFile.NO_EPOCH;

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
        this.cleaner = new LogCleaner(config, clock, this::allLogs);
        this.deletedLogs = new DeletedLogs(scheduler);
        this.loader = new LogDirLoader(clock, scheduler, failures, deletedLogs, this::flushed);
        this.moves = new LogDirMoves(this.logDirs, clock, scheduler, failures, deletedLogs, this::flushed);
        this.checkpoints = new LogDirCheckpoints(failures, logDir -> {
            List<PartitionLog> all = new ArrayList<>(logsIn(logDir));
            all.addAll(moves.futureLogsIn(logDir));
            return all;
        });
        // Last: the tasks use the fields above.
        new PeriodicLogTasks(clock, logs::values).schedule(scheduler, config, this::writeCheckpoints);
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
     * clean-shutdown marker; finishes deleting {@code -delete} directories. A {@code -future} directory is a move to
     * another log dir that goes on; one whose current log is gone was complete when a crash interrupted its swap
     * (see {@link PartitionLog#handOverTo}) and becomes the current log.
     */
    public synchronized void loadLogs(Function<TopicPartition, LogConfig> configFor) {
        Set<Long> epochs = new HashSet<>();
        List<PartitionLog> loadedFutures = new ArrayList<>();
        for (Path logDir : logDirs) {
            cleaner.loadCheckpoint(logDir);
            try {
                epochs.add(loader.load(logDir, configFor, this::addLoaded, loadedFutures));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot load the logs in " + logDir, e);
            }
        }
        for (PartitionLog future : loadedFutures) {
            TopicPartition tp = future.topicPartition();
            if (logs.containsKey(tp)) {
                moves.resume(future);
            } else {
                addLoaded(loader.promote(future, configFor.apply(tp)));
            }
        }
        previousBrokerEpoch = epochs.size() == 1 ? epochs.iterator().next() : CleanShutdownFile.NO_EPOCH;
    }

    /**
     * The broker epoch the last shutdown of this process ended cleanly in every log dir, or -1 if any dir was not
     * shut down cleanly: what the broker registers with as its previous broker epoch (KIP-966).
     */
    public long previousBrokerEpoch() {
        return previousBrokerEpoch;
    }

    /** The broker epoch a clean shutdown records in each dir's marker. */
    public void recordBrokerEpoch(long epoch) {
        brokerEpoch = epoch;
    }

    private void addLoaded(PartitionLog log) {
        PartitionLog previous = logs.put(log.topicPartition(), log);
        if (previous != null) {
            throw new IllegalStateException("Partition " + log.topicPartition() + " is in both " + previous.dir()
                    + " and " + log.dir());
        }
        listeners.forEach(l -> l.onLogOpened(log));
    }

    private void opened(PartitionLog log) {
        logs.put(log.topicPartition(), log);
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
        Path preferred = moves.takePreferredDir(tp);
        Path logDir = preferred != null && !failures.isOffline(preferred) ? preferred : leastLoadedDir();
        Path dir = logDir.resolve(tp.topic() + "-" + tp.partition());
        try {
            Files.createDirectories(dir);
            PartitionMetadataFile.write(dir, topicId);
            PartitionLog log = LogLoader.load(dir, tp, topicId, config, LogLoader.Checkpoints.NEW_LOG, clock,
                    scheduler, failures, this::flushed);
            opened(log);
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
            scheduler.execute(BackgroundTasks.logged("take " + logDir + " offline", () -> takeOffline(logDir)));
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
        moves.dropOffline(logDir, logs::containsKey);
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

    /**
     * AlterReplicaLogDirs for one replica, as Kafka's broker does: starts moving its log to {@code logDir} (a
     * {@code -future} copy there, filled by {@link #copyToFuture} and swapped in by {@link #replaceCurrentWithFuture});
     * a move to another dir under way is abandoned first, and a move to the dir the log is in is nothing to do.
     * Returns whether a move is under way. Creates a directory and fsyncs: not for an event loop.
     *
     * @throws LogDirNotFoundException if {@code logDir} is not one of log.dirs
     * @throws KafkaStorageException if that dir, or any (Kafka creates no future log then), is offline
     * @throws ReplicaNotAvailableException if this broker has no log of {@code tp}: the dir is remembered and the log
     *                                      created there when the replica arrives
     */
    public synchronized boolean moveLog(TopicPartition tp, String logDir) {
        return moves.start(tp, logDir, logs.get(tp));
    }

    /** The partitions whose logs are moving to another log dir. */
    public List<TopicPartition> movingPartitions() {
        return moves.moving();
    }

    /** The copy of {@code tp}'s log being made in another log dir (Kafka's future log), if it is moving. */
    public Optional<PartitionLog> futureLog(TopicPartition tp) {
        return moves.futureLog(tp);
    }

    /** The future logs whose directory is in {@code logDir}. */
    public List<PartitionLog> futureLogsIn(Path logDir) {
        return moves.futureLogsIn(logDir);
    }

    /** How many offsets the future log of {@code tp} is behind its current log; 0 if it is not moving. */
    public long futureOffsetLag(TopicPartition tp) {
        return moves.offsetLag(tp, logs.get(tp));
    }

    /**
     * Copies at most {@code maxBytes} of the current log of {@code tp} into its future log; returns the bytes copied,
     * 0 when the copy has caught up (or the move ended). File I/O: for the thread that moves logs.
     */
    public int copyToFuture(TopicPartition tp, int maxBytes) {
        return moves.copy(tp, logs.get(tp), maxBytes);
    }

    /**
     * Makes the future log of {@code tp} its current log ({@link PartitionLog#handOverTo}): renamed to the partition's
     * directory name and reopened with the old log's high watermark, log start offset, leader epochs and producer
     * state, while the old log's directory becomes {@code -delete} and is deleted after file.delete.delay.ms (reads
     * already handed out finish on it). Returns the new current log. The caller keeps appends to the partition off
     * meanwhile (the replica manager does it under the partition's lock), since the old log refuses them from here.
     */
    public synchronized PartitionLog replaceCurrentWithFuture(TopicPartition tp) {
        PartitionLog current = logs.get(tp);
        PartitionLog replacement = moves.swap(tp, current, retired -> {
            logs.remove(tp);
            cleaner.forget(tp);
            listeners.forEach(l -> l.onLogGone(retired));
        }, this::opened);
        Path target = replacement.dir().getParent();
        checkpoints.write(target);
        // The replaced log's directory, renamed -delete, is still in the log dir it leaves.
        checkpoints.write(current.dir().getParent());
        LOG.info("{} moved to {}", tp, target);
        return replacement;
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
        // The copy first: a -future directory without a current log is taken for a complete move at start-up.
        moves.abandon(tp);
        PartitionLog log = logs.remove(tp);
        if (log == null) {
            return;
        }
        cleaner.forget(tp);
        listeners.forEach(l -> l.onLogGone(log));
        Path current = log.dir();
        Path deleted = DeletedLogs.dirFor(tp, current.getParent());
        try {
            log.markDeleted(deleted);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot rename " + current + " for deletion", e);
        }
        deletedLogs.schedule(log, deleted);
    }

    /**
     * Truncates the log of {@code tp} to {@code offset} ({@link PartitionLog#truncateTo}) and checkpoints its log
     * dir, so that a restart never trusts a recovery point or high watermark above the new end. For the replica
     * manager's executor: file I/O and fsyncs, never on an event loop.
     */
    public void truncateTo(TopicPartition tp, long offset) {
        PartitionLog log = requireLog(tp);
        moves.truncateTo(tp, log, offset);
        cleaner.truncated(log);
        checkpoints.write(log.dir().getParent());
    }

    /** {@link PartitionLog#truncateFullyAndStartAt}, then checkpoints the log dir; same threading as truncateTo. */
    public void truncateFullyAndStartAt(TopicPartition tp, long offset) {
        PartitionLog log = requireLog(tp);
        moves.truncateFullyAndStartAt(tp, log, offset);
        cleaner.truncated(log);
        checkpoints.write(log.dir().getParent());
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
        allClosed &= moves.close();
        deletedLogs.close();
        writeCheckpoints();
        if (allClosed) {
            for (Path dir : logDirs) {
                if (!failures.isOffline(dir)) {
                    CleanShutdownFile.write(dir.resolve(CleanShutdownFile.NAME), brokerEpoch);
                }
            }
        }
        logs.clear();
        moves.clear();
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

    /** The dirty bytes of those logs, which no clean is reducing (Kafka's uncleanable-bytes). */
    public long uncleanableBytes(Path logDir) {
        return cleaner.uncleanableBytes(logDir);
    }

    /**
     * Restarts the log cleaner with new {@code log.cleaner.threads}, {@code log.cleaner.dedupe.buffer.size} and
     * {@code log.cleaner.backoff.ms} (dynamic broker configs); does not wait for a clean under way.
     */
    public void reconfigureCleaner(int threads, long dedupeBufferSize, long backoffMs) {
        cleaner.reconfigure(threads, dedupeBufferSize, backoffMs);
    }

    private void writeCheckpoints() {
        logDirs.forEach(checkpoints::write);
    }
}
