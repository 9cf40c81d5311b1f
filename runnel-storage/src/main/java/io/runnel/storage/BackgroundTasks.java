package io.runnel.storage;

import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a log's background work on the shared scheduler, logging a failure that the executor would drop. The log
 * manager's own tasks are wrapped by {@link #logged}.
 */
final class BackgroundTasks {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundTasks.class);

    private final TopicPartition topicPartition;
    private final ScheduledExecutorService scheduler;

    BackgroundTasks(TopicPartition topicPartition, ScheduledExecutorService scheduler) {
        this.topicPartition = topicPartition;
        this.scheduler = scheduler;
    }

    void run(String what, Runnable task) {
        scheduler.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Background {} of {} failed", what, topicPartition, e);
            }
        });
    }

    interface IoTask {
        void run() throws IOException;
    }

    /** Background tasks log their failures: an exception must not cancel a periodic task. */
    static Runnable logged(String what, IoTask task) {
        return () -> {
            try {
                task.run();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Background task '{}' failed", what, e);
            }
        };
    }
}
