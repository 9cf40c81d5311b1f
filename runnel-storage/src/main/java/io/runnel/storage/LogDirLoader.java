package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up loading of a log dir: its checkpoints and clean-shutdown marker decide whether each partition directory is
 * recovered, and its {@code -delete} directories go. A {@code -future} directory is loaded as the copy of a replica
 * moving there.
 */
final class LogDirLoader {
    static final String METADATA_LOG_DIR = "__cluster_metadata-0";
    private static final Logger LOG = LoggerFactory.getLogger(LogDirLoader.class);

    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final LogDirFailureChannel failures;
    private final DeletedLogs deletedLogs;
    /** Told how long each flush of a log opened here took, in nanoseconds. */
    private final LongConsumer flushed;

    LogDirLoader(Clock clock, ScheduledExecutorService scheduler, LogDirFailureChannel failures,
                 DeletedLogs deletedLogs, LongConsumer flushed) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.failures = failures;
        this.deletedLogs = deletedLogs;
        this.flushed = flushed;
    }

    /**
     * Loads one log dir: hands each partition's log to {@code loaded} as it is opened and adds each future log to
     * {@code futures}; returns the broker epoch its clean-shutdown marker names, -1 if it has none.
     */
    long load(Path logDir, Function<TopicPartition, LogConfig> configFor, Consumer<PartitionLog> loaded,
              List<PartitionLog> futures) throws IOException {
        Path marker = logDir.resolve(CleanShutdownFile.NAME);
        boolean clean = Files.exists(marker);
        long shutdownEpoch = clean ? CleanShutdownFile.brokerEpoch(marker) : CleanShutdownFile.NO_EPOCH;
        Map<TopicPartition, Long> recoveryPoints = readCheckpoint(logDir, OffsetCheckpointFile.RECOVERY_POINT);
        Map<TopicPartition, Long> highWatermarks = readCheckpoint(logDir, OffsetCheckpointFile.HIGH_WATERMARK);
        Map<TopicPartition, Long> logStarts = readCheckpoint(logDir, OffsetCheckpointFile.LOG_START);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(logDir, Files::isDirectory)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                String futureOf = FutureLog.partitionDirName(name);
                TopicPartition tp = parseTopicPartition(futureOf == null ? name : futureOf);
                if (name.endsWith(DeletedLogs.SUFFIX)) {
                    deletedLogs.deleteLeftover(dir);
                } else if (tp == null) {
                    LOG.warn("Skipping {}: not a <topic>-<partition> directory", dir);
                } else if (!name.equals(METADATA_LOG_DIR)) {
                    LogLoader.Checkpoints checkpoints = new LogLoader.Checkpoints(clean,
                            recoveryPoints.getOrDefault(tp, -1L), highWatermarks.getOrDefault(tp, -1L),
                            logStarts.getOrDefault(tp, -1L));
                    Uuid topicId = PartitionMetadataFile.read(dir).orElse(Uuid.ZERO_UUID);
                    PartitionLog log = LogLoader.load(dir, tp, topicId, configFor.apply(tp), checkpoints, clock,
                            scheduler, failures, flushed);
                    if (futureOf != null) {
                        futures.add(log);
                    } else {
                        loaded.accept(log);
                    }
                }
            }
        }
        // The marker must not survive start-up: a crash from here on has to trigger recovery.
        Files.deleteIfExists(marker);
        return shutdownEpoch;
    }

    /**
     * A future log whose current log is gone was complete when a crash interrupted its swap (see
     * {@link PartitionLog#handOverTo}): renamed to the partition's directory, it is loaded as the current log.
     */
    PartitionLog promote(PartitionLog future, LogConfig config) {
        TopicPartition tp = future.topicPartition();
        Path dir = future.dir().resolveSibling(tp.topic() + "-" + tp.partition());
        try {
            long end = future.logEndOffset();
            LogLoader.Checkpoints checkpoints = new LogLoader.Checkpoints(true, end, future.highWatermark(),
                    future.logStartOffset());
            future.close();
            Files.move(future.dir(), dir);
            PartitionLog log = LogLoader.load(dir, tp, future.topicId(), config, checkpoints, clock, scheduler,
                    failures, flushed);
            LOG.warn("{}: completing the move to {} a crash interrupted", tp, dir.getParent());
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot complete the move of " + tp + " to " + dir, e);
        }
    }

    private static Map<TopicPartition, Long> readCheckpoint(Path logDir, String name) {
        return OffsetCheckpointFile.read(logDir.resolve(name));
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
}
