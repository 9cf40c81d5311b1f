package io.runnel.broker.group.consumer;

import org.apache.kafka.common.Uuid;

import java.util.Map;
import java.util.Set;

/** A server-side assignor (KIP-848): computes the group's target assignment from subscriptions and topic metadata. */
public interface PartitionAssignor {
    /** The name clients select it by ({@code group.remote.assignor}) and brokers list in {@code group.consumer.assignors}. */
    String name();

    /**
     * @param subscriptions member id to the ids of the topics it subscribes to (existing topics only)
     * @param partitionCounts topic id to its number of partitions
     * @param current the current target assignment of each member, for stickiness
     * @return every member's new target assignment (possibly empty)
     */
    Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitionCounts,
                                   Map<String, Assignment> current);
}
