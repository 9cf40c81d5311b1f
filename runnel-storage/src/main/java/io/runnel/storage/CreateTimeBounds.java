package io.runnel.storage;

import io.runnel.storage.record.ProducedBatches;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTimestampException;

/** Rejects produced batches whose create times lie outside message.timestamp.before/after.max.ms of now. */
final class CreateTimeBounds {
    private CreateTimeBounds() {
    }

    static void check(ProducedBatches parsed, LogConfig cfg, long now, TopicPartition topicPartition) {
        for (int i = 0; i < parsed.count(); i++) {
            check(parsed.baseTimestamp(i), cfg, now, topicPartition);
            check(parsed.maxTimestamp(i), cfg, now, topicPartition);
        }
    }

    private static void check(long timestamp, LogConfig cfg, long now, TopicPartition topicPartition) {
        if (now - timestamp > cfg.timestampBeforeMaxMs() || timestamp - now > cfg.timestampAfterMaxMs()) {
            throw new InvalidTimestampException("Timestamp " + timestamp + " of " + topicPartition
                    + " is out of range: now " + now + ", message.timestamp.before.max.ms "
                    + cfg.timestampBeforeMaxMs() + ", message.timestamp.after.max.ms " + cfg.timestampAfterMaxMs());
        }
    }
}
