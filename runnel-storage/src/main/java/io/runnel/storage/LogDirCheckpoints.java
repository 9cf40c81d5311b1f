package io.runnel.storage;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.common.TopicPartition;

/**
 * Writes a log dir's recovery-point, high-watermark and log-start-offset checkpoints from the logs in it, current and
 * future; the {@link LogDirLoader} reads them back at start-up.
 */
final class LogDirCheckpoints {
    private final LogDirFailureChannel failures;
    private final Function<Path, List<PartitionLog>> logsIn;

    LogDirCheckpoints(LogDirFailureChannel failures, Function<Path, List<PartitionLog>> logsIn) {
        this.failures = failures;
        this.logsIn = logsIn;
    }

    /**
     * Serialised: the scheduler and truncations write the same files (through the same temporary file). An offline
     * dir is left alone: its logs are no longer served.
     */
    void write(Path logDir) {
        if (failures.isOffline(logDir)) {
            return;
        }
        synchronized (this) {
            Map<TopicPartition, Long> recoveryPoints = new HashMap<>();
            Map<TopicPartition, Long> highWatermarks = new HashMap<>();
            Map<TopicPartition, Long> logStarts = new HashMap<>();
            for (PartitionLog log : logsIn.apply(logDir)) {
                recoveryPoints.put(log.topicPartition(), log.recoveryPoint());
                highWatermarks.put(log.topicPartition(), log.highWatermark());
                logStarts.put(log.topicPartition(), log.logStartOffset());
            }
            OffsetCheckpointFile.write(logDir.resolve(OffsetCheckpointFile.RECOVERY_POINT), recoveryPoints);
            OffsetCheckpointFile.write(logDir.resolve(OffsetCheckpointFile.HIGH_WATERMARK), highWatermarks);
            OffsetCheckpointFile.write(logDir.resolve(OffsetCheckpointFile.LOG_START), logStarts);
        }
    }
}
