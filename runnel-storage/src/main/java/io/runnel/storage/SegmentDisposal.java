package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of segments that leave a log: renamed at once (to .deleted, or swapped for a replacement), closed and
 * deleted on the scheduler after file.delete.delay.ms so that reads in flight finish on open files.
 */
final class SegmentDisposal {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentDisposal.class);

    private final TopicPartition topicPartition;
    private final ScheduledExecutorService scheduler;
    /** Read when each step runs: the directory moves when the log is deleted. */
    private final Supplier<Path> dir;
    private final Supplier<LogConfig> config;

    SegmentDisposal(TopicPartition topicPartition, ScheduledExecutorService scheduler, Supplier<Path> dir,
                    Supplier<LogConfig> config) {
        this.topicPartition = topicPartition;
        this.scheduler = scheduler;
        this.dir = dir;
        this.config = config;
    }

    /** Renames the files of a segment already out of the log to .deleted and deletes them later. */
    void unlinked(LogSegment segment) {
        try {
            LogFiles.renameSegment(dir.get(), segment.baseOffset(), "", LogFiles.DELETED);
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot delete segment " + segment.baseOffset() + " of " + topicPartition,
                    e);
        }
        deleteLater(segment);
    }

    /** Puts the files of a replacement (suffix {@code state}) in place of {@code old}'s; the rename to swap commits. */
    void swapFiles(LogSegment old, LogSegment replacement, String state) throws IOException {
        Path d = dir.get();
        long base = old.baseOffset();
        LogFiles.renameSegment(d, base, state, LogFiles.SWAP);
        LogFiles.renameSegment(d, base, "", LogFiles.DELETED);
        LogFiles.renameSegment(d, base, LogFiles.SWAP, "");
        replacement.txnIndex().renamed(LogFiles.file(d, base, LogFiles.TXN_INDEX));
    }

    /** Closes the segment and deletes its .deleted files after file.delete.delay.ms. */
    void deleteLater(LogSegment segment) {
        scheduler.schedule(() -> {
            try {
                segment.close();
                LogFiles.deleteSegment(dir.get(), segment.baseOffset(), LogFiles.DELETED);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot delete segment {} of {}", segment.baseOffset(), topicPartition, e);
            }
        }, Math.max(0, config.get().fileDeleteDelayMs()), TimeUnit.MILLISECONDS);
    }
}
