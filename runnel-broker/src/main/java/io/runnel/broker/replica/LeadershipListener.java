package io.runnel.broker.replica;

import org.apache.kafka.common.TopicPartition;

/** Told when this broker becomes or stops being a partition's leader (coordinators follow their partitions). */
public interface LeadershipListener {
    void onBecomeLeader(Partition partition);

    void onResign(TopicPartition tp);
}
