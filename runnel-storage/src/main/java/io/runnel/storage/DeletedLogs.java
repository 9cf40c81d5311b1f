package io.runnel.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs deleted, or replaced by their moved copy, whose directories were renamed {@code <topic>-<partition>.<id>-delete}:
 * their files stay open for file.delete.delay.ms, so that reads already handed out finish, and are then removed on the
 * log manager's scheduler.
 */
final class DeletedLogs {
    static final String SUFFIX = "-delete";
    private static final Logger LOG = LoggerFactory.getLogger(DeletedLogs.class);

    private final ScheduledExecutorService scheduler;
    /** Deleted logs whose files are still open, awaiting file.delete.delay.ms. */
    private final Map<Path, PartitionLog> pending = new ConcurrentHashMap<>();

    DeletedLogs(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    static Path dirFor(TopicPartition tp, Path logDir) {
        return logDir.resolve(tp.topic() + "-" + tp.partition() + "." + uniqueId() + SUFFIX);
    }

    /** Kafka's unique id in {@code -delete} and {@code -future} directory names. */
    static String uniqueId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Deletes the files of a log moved to {@code deleted} after file.delete.delay.ms, so that reads finish. */
    void schedule(PartitionLog log, Path deleted) {
        pending.put(deleted, log);
        scheduler.schedule(BackgroundTasks.logged("delete " + deleted, () -> {
            try {
                log.closeSegments();
            } finally {
                pending.remove(deleted);
                deleteRecursively(deleted);
            }
        }), Math.max(0, log.config().fileDeleteDelayMs()), TimeUnit.MILLISECONDS);
    }

    /** A {@code -delete} directory found at start-up: no read can be using it, it goes at once. */
    void deleteLeftover(Path dir) {
        scheduler.execute(BackgroundTasks.logged("delete " + dir.getFileName(), () -> deleteRecursively(dir)));
    }

    /** At shutdown: deletions still waiting are finished at the next start-up, which removes every -delete dir. */
    void close() {
        for (PartitionLog log : pending.values()) {
            try {
                log.closeSegments();
            } catch (IOException e) {
                LOG.warn("Cannot close the deleted log of {}", log.topicPartition(), e);
            }
        }
        pending.clear();
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
}
