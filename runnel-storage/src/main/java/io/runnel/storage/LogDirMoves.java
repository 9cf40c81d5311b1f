package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.LogDirNotFoundException;
import org.apache.kafka.common.errors.ReplicaNotAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moves of replicas between the log dirs of this broker (AlterReplicaLogDirs): each moving replica's copy in its
 * target dir ({@link FutureLog}), and the dirs asked for replicas not hosted yet. The current logs stay the
 * {@link LogManager}'s, which passes them in and serialises starting, abandoning and swapping a move.
 */
final class LogDirMoves {
    private static final Logger LOG = LoggerFactory.getLogger(LogDirMoves.class);

    private final List<Path> logDirs;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final LogDirFailureChannel failures;
    private final DeletedLogs deletedLogs;
    /** Told how long each flush of a log opened here took, in nanoseconds. */
    private final LongConsumer flushed;
    /** Replicas moving to another log dir: their copies there. */
    private final Map<TopicPartition, FutureLog> futureLogs = new ConcurrentHashMap<>();
    /** Where AlterReplicaLogDirs asked a replica not hosted yet to be created (Kafka's preferred log dirs). */
    private final Map<TopicPartition, Path> preferredDirs = new ConcurrentHashMap<>();

    LogDirMoves(List<Path> logDirs, Clock clock, ScheduledExecutorService scheduler, LogDirFailureChannel failures,
                DeletedLogs deletedLogs, LongConsumer flushed) {
        this.logDirs = logDirs;
        this.clock = clock;
        this.scheduler = scheduler;
        this.failures = failures;
        this.deletedLogs = deletedLogs;
        this.flushed = flushed;
    }

    /** A future log found at start-up whose current log is there too: the move goes on. */
    void resume(PartitionLog future) {
        TopicPartition tp = future.topicPartition();
        futureLogs.put(tp, new FutureLog(future));
        LOG.info("Resuming the move of {} to {}", tp, future.dir().getParent());
    }

    /** The log dir asked for {@code tp} before it was hosted, forgotten once taken; null if none. */
    Path takePreferredDir(TopicPartition tp) {
        return preferredDirs.remove(tp);
    }

    /** {@link LogManager#moveLog}, with {@code tp}'s current log, null if this broker has none. */
    boolean start(TopicPartition tp, String logDir, PartitionLog current) {
        Path target = logDirs.stream().filter(d -> d.toAbsolutePath().normalize().equals(
                Path.of(logDir).toAbsolutePath().normalize())).findFirst()
                .orElseThrow(() -> new LogDirNotFoundException("Log dir " + logDir + " is not in log.dirs"));
        String futureName = tp.topic() + "-" + tp.partition() + "." + DeletedLogs.uniqueId() + FutureLog.SUFFIX;
        if (futureName.length() > 255) {
            throw new InvalidTopicException("The topic name " + tp.topic() + " is too long to move its replicas");
        }
        if (failures.isOffline(target)) {
            throw new KafkaStorageException("Log dir " + logDir + " is offline");
        }
        FutureLog future = futureLogs.get(tp);
        if (future != null && !future.dir().getParent().equals(target)) {
            abandon(tp);
        }
        if (current == null) {
            preferredDirs.put(tp, target);
            throw new ReplicaNotAvailableException("Broker has no replica of " + tp + " yet; it will be created in "
                    + logDir);
        }
        if (current.dir().getParent().equals(target)) {
            return false;
        }
        if (futureLogs.containsKey(tp)) {
            return true;
        }
        List<Path> offline = logDirs.stream().filter(failures::isOffline).toList();
        if (!offline.isEmpty()) {
            throw new KafkaStorageException("Cannot move " + tp + " while log dirs " + offline + " are offline");
        }
        Path dir = target.resolve(futureName);
        try {
            Files.createDirectories(dir);
            PartitionMetadataFile.write(dir, current.topicId());
            PartitionLog copy = LogLoader.load(dir, tp, current.topicId(), current.config(),
                    LogLoader.Checkpoints.NEW_LOG, clock, scheduler, failures, flushed);
            copy.truncateFullyAndStartAt(current.logStartOffset());
            futureLogs.put(tp, new FutureLog(copy));
            LOG.info("Moving {} from {} to {}", tp, current.dir().getParent(), target);
            return true;
        } catch (IOException e) {
            throw failures.failed(dir, "Cannot create the future log of " + tp + " in " + target, e);
        }
    }

    /** Stops moving {@code tp} to another log dir and deletes its copy there, if any. */
    void abandon(TopicPartition tp) {
        FutureLog future = futureLogs.remove(tp);
        if (future == null) {
            return;
        }
        synchronized (future) {
            Path deleted = DeletedLogs.dirFor(tp, future.dir().getParent());
            try {
                future.log().markDeleted(deleted);
            } catch (IOException e) {
                throw failures.failed(future.dir(), "Cannot rename " + future.dir() + " for deletion", e);
            }
            deletedLogs.schedule(future.log(), deleted);
        }
        LOG.info("Abandoned the move of {} to {}", tp, future.dir().getParent());
    }

    List<TopicPartition> moving() {
        return List.copyOf(futureLogs.keySet());
    }

    Optional<PartitionLog> futureLog(TopicPartition tp) {
        return Optional.ofNullable(futureLogs.get(tp)).map(FutureLog::log);
    }

    List<PartitionLog> futureLogsIn(Path logDir) {
        return futureLogs.values().stream().filter(f -> f.dir().getParent().equals(logDir)).map(FutureLog::log)
                .toList();
    }

    /** {@link LogManager#futureOffsetLag}, with {@code tp}'s current log or null. */
    long offsetLag(TopicPartition tp, PartitionLog current) {
        FutureLog future = futureLogs.get(tp);
        return future == null || current == null ? 0 : future.offsetLag(current);
    }

    /** {@link LogManager#copyToFuture}, with {@code tp}'s current log or null. */
    int copy(TopicPartition tp, PartitionLog current, int maxBytes) {
        FutureLog future = futureLogs.get(tp);
        if (future == null || current == null) {
            return 0;
        }
        try {
            return future.copyFrom(current, maxBytes);
        } catch (IOException e) {
            throw failures.failed(future.dir(), "Cannot copy " + tp + " to " + future.dir(), e);
        }
    }

    /**
     * {@link LogManager#replaceCurrentWithFuture}'s files: under the copy's monitor, {@code current} hands over to the
     * copy, is taken out of service by {@code retire} and its directory becomes {@code -delete}; the copy's directory
     * is loaded as the new current log, handed to {@code open}, and the old files are deleted after
     * file.delete.delay.ms.
     */
    PartitionLog swap(TopicPartition tp, PartitionLog current, Consumer<PartitionLog> retire,
                      Consumer<PartitionLog> open) {
        FutureLog future = futureLogs.get(tp);
        if (future == null || current == null) {
            throw new IllegalStateException("No move of " + tp + " under way");
        }
        Path target = future.dir().getParent();
        Path dir = target.resolve(tp.topic() + "-" + tp.partition());
        Path deleted = DeletedLogs.dirFor(tp, current.dir().getParent());
        PartitionLog replacement;
        synchronized (future) {
            try {
                LogLoader.Checkpoints checkpoints = current.handOverTo(future, deleted);
                futureLogs.remove(tp);
                retire.accept(current);
                // The copy's object retires as a deleted log's does; its directory lives on as the new log's.
                future.log().markDeleted(dir);
                replacement = LogLoader.load(dir, tp, current.topicId(), current.config(), checkpoints, clock,
                        scheduler, failures, flushed);
            } catch (IOException e) {
                throw failures.failed(dir, "Cannot make the log of " + tp + " in " + target + " current", e);
            }
        }
        open.accept(replacement);
        deletedLogs.schedule(current, deleted);
        return replacement;
    }

    /** Truncates {@code current} and the copy with it, if it is moving: no copied batch outlives the truncation. */
    void truncateTo(TopicPartition tp, PartitionLog current, long offset) {
        FutureLog future = futureLogs.get(tp);
        if (future == null) {
            current.truncateTo(offset);
        } else {
            synchronized (future) {
                current.truncateTo(offset);
                future.truncateTo(current.logEndOffset());
            }
        }
    }

    /** As {@link #truncateTo}, for {@link PartitionLog#truncateFullyAndStartAt}. */
    void truncateFullyAndStartAt(TopicPartition tp, PartitionLog current, long offset) {
        FutureLog future = futureLogs.get(tp);
        if (future == null) {
            current.truncateFullyAndStartAt(offset);
        } else {
            synchronized (future) {
                current.truncateFullyAndStartAt(offset);
                future.truncateFullyAndStartAt(offset);
            }
        }
    }

    /**
     * After {@code logDir} went offline: the moves to it end, and so do those of replicas no longer {@code hosted}
     * (their current log was in it); their copies' files are closed.
     */
    void dropOffline(Path logDir, Predicate<TopicPartition> hosted) {
        for (FutureLog future : new ArrayList<>(futureLogs.values())) {
            TopicPartition tp = future.log().topicPartition();
            if (future.dir().getParent().equals(logDir) || !hosted.test(tp)) {
                futureLogs.remove(tp, future);
                try {
                    future.log().closeSegments();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Cannot close the future log of {}", tp, e);
                }
            }
        }
    }

    /**
     * Closes every copy (flushed, producer snapshot written) and returns whether all closed; they stay listed, for
     * the shutdown's checkpoints, until {@link #clear}.
     */
    boolean close() {
        boolean allClosed = true;
        for (FutureLog future : futureLogs.values()) {
            try {
                future.log().close();
            } catch (IOException | RuntimeException e) {
                allClosed = false;
                LOG.error("Cannot close the future log of {}", future.log().topicPartition(), e);
            }
        }
        return allClosed;
    }

    void clear() {
        futureLogs.clear();
    }
}
