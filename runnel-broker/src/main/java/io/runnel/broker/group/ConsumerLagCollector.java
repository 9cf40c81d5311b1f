package io.runnel.broker.group;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Consumer lag without a client, for the groups this broker coordinates: per group, topic and partition the committed
 * offset, the partition's end offset and their difference, under kafka_exporter's names and labels
 * ({@code kafka_consumergroup_current_offset}, {@code kafka_consumergroup_lag}, labels {@code consumergroup},
 * {@code topic}, {@code partition}) plus {@code kafka_consumergroup_log_end_offset}. The end offset is the high
 * watermark of this broker's replica, what {@code consumer-groups --describe} prints as LOG-END-OFFSET (read from the
 * leader there, so a follower's may trail it briefly); a partition with no replica here has only its committed offset.
 * Computed when scraped, from the shards' state: nothing is added to the commit path.
 */
public final class ConsumerLagCollector implements MultiCollector {
    static final String CURRENT_OFFSET = "kafka_consumergroup_current_offset";
    static final String LOG_END_OFFSET = "kafka_consumergroup_log_end_offset";
    static final String LAG = "kafka_consumergroup_lag";

    private final GroupCoordinator coordinator;
    /** A partition's end offset as this broker's replica has it, null when it has none. */
    private final Function<TopicPartition, Long> endOffsets;

    public ConsumerLagCollector(GroupCoordinator coordinator, Function<TopicPartition, Long> endOffsets) {
        this.coordinator = coordinator;
        this.endOffsets = endOffsets;
    }

    @Override
    public MetricSnapshots collect() {
        List<GaugeDataPointSnapshot> committed = new ArrayList<>();
        List<GaugeDataPointSnapshot> ends = new ArrayList<>();
        List<GaugeDataPointSnapshot> lags = new ArrayList<>();
        for (GroupShard shard : coordinator.loadedShards()) {
            for (Map.Entry<String, Map<TopicPartition, Long>> group : shard.committedOffsetsCopy().entrySet()) {
                group.getValue().forEach((tp, offset) -> {
                    Labels labels = Labels.of("consumergroup", group.getKey(), "topic", tp.topic(),
                            "partition", Integer.toString(tp.partition()));
                    committed.add(point(labels, offset));
                    Long end = endOffsets.apply(tp);
                    if (end != null) {
                        ends.add(point(labels, end));
                        lags.add(point(labels, end - offset));
                    }
                });
            }
        }
        return MetricSnapshots.of(
                gauge(CURRENT_OFFSET, "The offset the group committed for the partition", committed),
                gauge(LOG_END_OFFSET, "The partition's high watermark on this broker", ends),
                gauge(LAG, "The partition's high watermark minus the group's committed offset", lags));
    }

    private static GaugeDataPointSnapshot point(Labels labels, long value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static GaugeSnapshot gauge(String name, String help, List<GaugeDataPointSnapshot> points) {
        return new GaugeSnapshot(new MetricMetadata(name, help), points);
    }
}
