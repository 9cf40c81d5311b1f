package io.runnel.broker.group;

import io.runnel.broker.config.BrokerConfig;

/** The broker settings the group coordinator obeys, under Kafka's names. */
public record GroupConfig(int offsetsTopicPartitions, short offsetsTopicReplicationFactor,
                          int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                          int maxSize, int offsetMetadataMaxBytes, long offsetsRetentionMs,
                          long offsetsRetentionCheckIntervalMs) {

    public static GroupConfig from(BrokerConfig config) {
        return new GroupConfig(
                Integer.parseInt(config.get("offsets.topic.num.partitions")),
                Short.parseShort(config.get("offsets.topic.replication.factor")),
                Integer.parseInt(config.get("group.initial.rebalance.delay.ms")),
                Integer.parseInt(config.get("group.min.session.timeout.ms")),
                Integer.parseInt(config.get("group.max.session.timeout.ms")),
                Integer.parseInt(config.get("group.max.size")),
                Integer.parseInt(config.get("offset.metadata.max.bytes")),
                Long.parseLong(config.get("offsets.retention.minutes")) * 60_000L,
                Long.parseLong(config.get("offsets.retention.check.interval.ms")));
    }
}
