package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import io.runnel.broker.group.GroupCoordinator;

import org.apache.kafka.common.GroupType;

import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Kafka's {@code kafka.coordinator.group:type=GroupMetadataManager} gauges over the groups this broker coordinates:
 * NumOffsets (committed offsets), NumGroups (classic groups, as in Kafka, whose KIP-848 consumer groups are counted
 * elsewhere) and NumGroups{PreparingRebalance,CompletingRebalance,Stable,Dead,Empty}; and Kafka 4's
 * {@code kafka.server:type=group-coordinator-metrics}: offset-count, offset-commit-rate and -count (offsets written by
 * commit requests, transactional ones included, a meter marked once per request), offset-expiration-rate and -count
 * (offsets removed by offsets.retention.minutes), offset-deletion-rate and -count (offsets removed by OffsetDelete
 * requests), group-completed-rebalance-rate and
 * -count (classic groups reaching Stable once their assignment is committed), consumer-group-rebalance-rate and -count
 * (consumer groups' epoch bumps), group-count per {@code protocol} (classic,
 * consumer), classic-group-count and consumer-group-count per {@code state}, and partition-load-time-avg/max (the
 * replay of an offsets partition whose leadership arrives). Counted when read, each shard under its own lock for the
 * walk only: nothing is added to the commit or heartbeat paths.
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

    /** Kafka's states of consumer (KIP-848) groups, the {@code state} tag of consumer-group-count. */
    private static final List<String> CONSUMER_STATES = List.of("Empty", "Assigning", "Reconciling", "Stable", "Dead");
    private static final String GROUP = "kafka.server:type=group-coordinator-metrics";
    /** The group types by Kafka's {@code protocol} tag of group-count. */
    private static final Map<String, GroupType> PROTOCOLS = Map.of("classic", GroupType.CLASSIC,
            "consumer", GroupType.CONSUMER);

    public static void register(BrokerMetrics metrics, GroupCoordinator coordinator) {
        gauge(metrics, "NumOffsets", coordinator::offsetCount);
        gauge(metrics, "NumGroups", () -> coordinator.classicGroupStates().size());
        BY_STATE.forEach((state, name) -> gauge(metrics, name,
                () -> count(coordinator, GroupType.CLASSIC, state)));

        // Kafka 4's names for the same counts, and the consumer groups'.
        KafkaMetricsBean untagged = metrics.kafkaMetrics(GROUP);
        untagged.number("offset-count", coordinator::offsetCount);
        coordinator.timeLoads(untagged.avgAndMaxMs("partition-load-time")::update);
        coordinator.countCommits(untagged.rateAndCount("offset-commit")::mark);
        coordinator.countRemovals(untagged.rateAndCount("offset-expiration")::mark,
                untagged.rateAndCount("offset-deletion")::mark);
        Meter classicRebalances = untagged.rateAndCount("group-completed-rebalance");
        Meter consumerRebalances = untagged.rateAndCount("consumer-group-rebalance");
        coordinator.countRebalances(type -> (type == GroupType.CLASSIC ? classicRebalances : consumerRebalances).mark());
        PROTOCOLS.forEach((protocol, type) -> metrics.kafkaMetrics(GROUP + ",protocol=" + protocol)
                .number("group-count", () -> coordinator.groupStates(type).size()));
        BY_STATE.keySet().forEach(state -> metrics.kafkaMetrics(GROUP + ",state=" + state)
                .number("classic-group-count", () -> count(coordinator, GroupType.CLASSIC, state)));
        CONSUMER_STATES.forEach(state -> metrics.kafkaMetrics(GROUP + ",state=" + state)
                .number("consumer-group-count", () -> count(coordinator, GroupType.CONSUMER, state)));
    }

    private static int count(GroupCoordinator coordinator, GroupType type, String state) {
        return (int) coordinator.groupStates(type).stream().filter(state::equals).count();
    }

    private static void gauge(BrokerMetrics metrics, String name, IntSupplier value) {
        metrics.gauge(KafkaMetricName.of(DOMAIN, TYPE, name), (Gauge<Integer>) value::getAsInt);
    }
}
