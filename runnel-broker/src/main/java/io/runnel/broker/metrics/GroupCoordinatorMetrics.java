package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import io.runnel.broker.group.GroupCoordinator;

import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Kafka's {@code kafka.coordinator.group:type=GroupMetadataManager} gauges over the groups this broker coordinates:
 * NumOffsets (committed offsets), NumGroups (classic groups, as in Kafka, whose KIP-848 consumer groups are counted
 * elsewhere) and NumGroups{PreparingRebalance,CompletingRebalance,Stable,Dead,Empty}. Counted when read, each shard
 * under its own lock for the walk only: nothing is added to the commit or heartbeat paths.
 */
public final class GroupCoordinatorMetrics {
    private static final String DOMAIN = "kafka.coordinator.group";
    private static final String TYPE = "GroupMetadataManager";
    /** The gauge of each classic group state, by the state's name. */
    private static final Map<String, String> BY_STATE = Map.of(
            "PreparingRebalance", "NumGroupsPreparingRebalance",
            "CompletingRebalance", "NumGroupsCompletingRebalance",
            "Stable", "NumGroupsStable",
            "Dead", "NumGroupsDead",
            "Empty", "NumGroupsEmpty");

    private GroupCoordinatorMetrics() {
    }

    public static void register(BrokerMetrics metrics, GroupCoordinator coordinator) {
        gauge(metrics, "NumOffsets", coordinator::offsetCount);
        gauge(metrics, "NumGroups", () -> coordinator.classicGroupStates().size());
        BY_STATE.forEach((state, name) -> gauge(metrics, name,
                () -> (int) coordinator.classicGroupStates().stream().filter(state::equals).count()));
    }

    private static void gauge(BrokerMetrics metrics, String name, IntSupplier value) {
        metrics.gauge(KafkaMetricName.of(DOMAIN, TYPE, name), (Gauge<Integer>) value::getAsInt);
    }
}
