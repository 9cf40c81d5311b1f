package io.runnel.broker.handlers;

import io.runnel.broker.replica.Partition;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Endpoint;
import io.runnel.metadata.MetadataImage;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.replica.PartitionView;
import org.apache.kafka.common.replica.ReplicaSelector;
import org.apache.kafka.common.replica.ReplicaView;

import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where a consumer should fetch a partition from (KIP-392), as Kafka's leader decides it: the configured
 * {@code replica.selector.class} (kafka-clients' {@code RackAwareReplicaSelector}, or any {@link ReplicaSelector})
 * chooses among the leader and the followers that hold the fetch offset, each known by its endpoint on the client's
 * listener with its rack; a choice other than the leader is answered as the fetch's preferred read replica.
 */
final class PreferredReadReplica {
    private PreferredReadReplica() {
    }

    /** The follower the consumer should fetch from instead, or empty to keep reading from this leader. */
    static OptionalInt of(ReplicaSelector selector, ClientMetadata client, MetadataImage image, Partition leader,
                          long fetchOffset, long nowMs) {
        Node leaderNode = node(image, leader.leaderId(), client.listenerName());
        if (leaderNode == null) {
            return OptionalInt.empty();
        }
        ReplicaView leaderView = new ReplicaView.DefaultReplicaView(leaderNode, leader.log().logEndOffset(), 0);
        Set<ReplicaView> views = new HashSet<>();
        views.add(leaderView);
        for (Partition.FollowerState follower : leader.followerStates()) {
            Node node = node(image, follower.brokerId(), client.listenerName());
            if (node != null && follower.logEndOffset() >= fetchOffset) {
                views.add(new ReplicaView.DefaultReplicaView(node, follower.logEndOffset(),
                        nowMs - follower.lastCaughtUpTimeMs()));
            }
        }
        return selector.select(leader.topicPartition(), client, new PartitionView.DefaultPartitionView(views, leaderView))
                .filter(chosen -> !chosen.endpoint().isEmpty() && chosen.endpoint().id() != leaderNode.id())
                .map(chosen -> OptionalInt.of(chosen.endpoint().id())).orElse(OptionalInt.empty());
    }

    /** The broker's endpoint on the listener, with its rack; null when it is fenced or not on that listener. */
    private static Node node(MetadataImage image, int brokerId, String listenerName) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        if (broker == null || broker.fenced()) {
            return null;
        }
        for (Endpoint endpoint : broker.endpoints()) {
            if (endpoint.listenerName().equals(listenerName)) {
                return new Node(brokerId, endpoint.host(), endpoint.port(), broker.rack());
            }
        }
        return null;
    }
}
