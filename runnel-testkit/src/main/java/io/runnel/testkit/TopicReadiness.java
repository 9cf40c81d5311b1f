package io.runnel.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Waits until a new topic has a leader for every partition: CreateTopics answers once the controller has committed
 * the topic, before the brokers have applied it, and a test's first produce should not depend on client retries.
 */
final class TopicReadiness {
    private static final long POLL_MS = 20;

    private TopicReadiness() {
    }

    static void await(Admin admin, String topic, Duration timeout) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready(admin, topic)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + topic + " has no leader for every partition after " + timeout);
            }
            Thread.sleep(POLL_MS);
        }
    }

    private static boolean ready(Admin admin, String topic) throws InterruptedException, ExecutionException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }
}
