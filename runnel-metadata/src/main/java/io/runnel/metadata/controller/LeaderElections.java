package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.Errors;

/**
 * Leader elections asked for by an operator (ElectLeaders) or by the leader balancing, as Kafka's controller makes
 * them. A preferred election makes the first replica leader when it is an unfenced ISR member; an unclean one gives
 * a leaderless partition the first unfenced ISR member, else (with an empty ISR) the first unfenced eligible leader
 * replica, or else the first unfenced replica as the only ISR member, which clears the ELR.
 */
final class LeaderElections {
    /** No broker id: every replica may be elected. */
    private static final int NONE_EXCLUDED = -1;

    private LeaderElections() {
    }

    /**
     * The ElectLeaders answer and its records. Without partitions named, every partition is tried and those that
     * need no election are left out of the answer, as Kafka does.
     */
    static Outcome<ElectLeadersResponseData> elect(MetadataImage image, EligibleLeaders elr,
                                                   ElectLeadersRequestData request) {
        boolean unclean = electionType(request.electionType()) == ElectionType.UNCLEAN;
        List<MetadataRecord> records = new ArrayList<>();
        ElectLeadersResponseData response = new ElectLeadersResponseData();
        if (request.topicPartitions() == null) {
            for (TopicImage topic : image.topicsByName().values()) {
                ReplicaElectionResult results = new ReplicaElectionResult().setTopic(topic.name());
                topic.partitions().forEach((index, p) -> {
                    Errors error = elect(image, elr, topic, index, unclean, records);
                    if (error != Errors.ELECTION_NOT_NEEDED) {
                        results.partitionResult().add(result(index, error));
                    }
                });
                if (!results.partitionResult().isEmpty()) {
                    response.replicaElectionResults().add(results);
                }
            }
        } else {
            for (ElectLeadersRequestData.TopicPartitions named : request.topicPartitions()) {
                TopicImage topic = image.topicsByName().get(named.topic());
                ReplicaElectionResult results = new ReplicaElectionResult().setTopic(named.topic());
                for (int index : named.partitions()) {
                    results.partitionResult().add(result(index, topic == null || !topic.partitions().containsKey(index)
                            ? Errors.UNKNOWN_TOPIC_OR_PARTITION : elect(image, elr, topic, index, unclean, records)));
                }
                response.replicaElectionResults().add(results);
            }
        }
        return new Outcome<>(records, response);
    }

    /**
     * Preferred elections for every partition led by another broker than its first replica where that replica is an
     * unfenced ISR member, as Kafka 4's controller balances leaders. Returns how many partitions change leader.
     */
    static Outcome<Integer> balance(MetadataImage image, EligibleLeaders elr) {
        List<MetadataRecord> records = new ArrayList<>();
        for (TopicImage topic : image.topicsByName().values()) {
            topic.partitions().forEach((index, p) -> {
                if (p.leader() != p.replicas()[0]) {
                    elect(image, elr, topic, index, false, records);
                }
            });
        }
        return new Outcome<>(records, records.size());
    }

    private static ElectionType electionType(byte value) {
        try {
            return ElectionType.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Unknown election type " + value);
        }
    }

    private static Errors elect(MetadataImage image, EligibleLeaders elr, TopicImage topic, int index,
                                boolean unclean, List<MetadataRecord> records) {
        PartitionRegistration p = topic.partitions().get(index);
        if (unclean ? p.leader() != PartitionChanges.NO_LEADER : p.leader() == p.replicas()[0]) {
            return Errors.ELECTION_NOT_NEEDED;
        }
        Map<Integer, BrokerRegistration> brokers = image.brokers();
        int leader;
        int[] isr = null;
        if (!unclean) {
            leader = PartitionChanges.electLeader(brokers, new int[] {p.replicas()[0]}, p.isr(), NONE_EXCLUDED);
        } else {
            leader = PartitionChanges.electLeader(brokers, p.replicas(), p.isr(), NONE_EXCLUDED);
            if (leader == PartitionChanges.NO_LEADER && p.isr().length == 0) {
                leader = PartitionChanges.electLeader(brokers, p.replicas(), p.elr(), NONE_EXCLUDED);
                isr = leader == PartitionChanges.NO_LEADER ? null : new int[] {leader};
            }
            if (leader == PartitionChanges.NO_LEADER) {
                leader = PartitionChanges.electLeader(brokers, p.replicas(), p.replicas(), NONE_EXCLUDED);
                isr = new int[] {leader};
            }
        }
        if (leader == PartitionChanges.NO_LEADER) {
            return unclean ? Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE : Errors.PREFERRED_LEADER_NOT_AVAILABLE;
        }
        records.add(elr.complete(image, topic, p, new PartitionChangeRecord(topic.id(), index, null, isr, leader)));
        return Errors.NONE;
    }

    private static PartitionResult result(int index, Errors error) {
        return new PartitionResult().setPartitionId(index).setErrorCode(error.code())
                .setErrorMessage(error == Errors.NONE ? null : error.message());
    }
}
