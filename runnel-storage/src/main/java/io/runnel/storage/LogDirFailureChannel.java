package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the logs report an I/O error on their files, as Kafka's LogDirFailureChannel: the error takes the whole log
 * dir offline (a disk that failed one write cannot be trusted with the next), once, and the failing operation gets
 * KAFKA_STORAGE_ERROR. What going offline means is the {@link LogManager}'s to do, off the failing thread.
 */
final class LogDirFailureChannel {
    private static final Logger LOG = LoggerFactory.getLogger(LogDirFailureChannel.class);

    private final Set<Path> offline = ConcurrentHashMap.newKeySet();
    private final Consumer<Path> onFailure;

    LogDirFailureChannel(Consumer<Path> onFailure) {
        this.onFailure = onFailure;
    }

    /** Takes the log dir holding {@code partitionDir} offline and returns the exception the operation throws. */
    KafkaStorageException failed(Path partitionDir, String message, IOException cause) {
        Path logDir = partitionDir.getParent();
        if (offline.add(logDir)) {
            LOG.error("Log dir {} is offline: {}", logDir, message, cause);
            onFailure.accept(logDir);
        }
        return new KafkaStorageException(message + " (log dir " + logDir + " is offline)", cause);
    }

    boolean isOffline(Path logDir) {
        return offline.contains(logDir);
    }
}
