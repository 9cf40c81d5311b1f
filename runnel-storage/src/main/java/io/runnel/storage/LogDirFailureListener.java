package io.runnel.storage;

import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.TopicPartition;

/** Told once when a log dir goes offline, with the partitions whose logs it held (closed and no longer served). */
@FunctionalInterface
public interface LogDirFailureListener {
    void onLogDirFailure(Path logDir, List<TopicPartition> partitions);
}
