package io.runnel.broker.handlers;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.Endpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.Optional;

/**
 * KIP-951: with NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH, Produce (v10+) and Fetch (v12+) tell the client the
 * partition's current leader and epoch, and (Produce v10+, Fetch v16+) where that leader listens on the listener
 * the client used, so that it need not wait for a metadata refresh.
 */
record LeaderHint(int leaderId, int leaderEpoch, Endpoint endpoint, String rack) {

    static boolean appliesTo(Errors error) {
        return error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH;
    }

    /** The leader the metadata names, with its endpoint on {@code listenerName} when it has one there. */
    static Optional<LeaderHint> of(MetadataImage image, TopicPartition tp, String listenerName) {
        TopicImage topic = image == null ? null : image.topicsByName().get(tp.topic());
        PartitionRegistration registration = topic == null ? null : topic.partitions().get(tp.partition());
        if (registration == null || registration.leader() < 0) {
            return Optional.empty();
        }
        BrokerRegistration broker = image.brokers().get(registration.leader());
        Endpoint endpoint = broker == null ? null : broker.endpoints().stream()
                .filter(e -> e.listenerName().equals(listenerName)).findFirst().orElse(null);
        return Optional.of(new LeaderHint(registration.leader(), registration.leaderEpoch(), endpoint,
                broker == null ? null : broker.rack()));
    }
}
