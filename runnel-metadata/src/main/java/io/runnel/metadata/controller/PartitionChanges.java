package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.PartitionChangeRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The leader and ISR changes that follow a broker's fencing or unfencing, as Kafka's controller makes them: a
 * fenced broker leaves every ISR (unless it is the last member) and its leaderships move to the first replica
 * in the remaining ISR that is unfenced; with none, the partition has no leader, or with
 * {@code unclean.leader.election.enable} an unfenced replica outside the ISR becomes leader and the only member.
 */
final class PartitionChanges {
    static final int NO_LEADER = -1;

    private PartitionChanges() {
    }

    /** Records taking {@code broker} out of every ISR and leadership, judged with it already fenced. */
    static void removeBroker(MetadataImage image, int broker, List<MetadataRecord> records) {
        for (TopicImage topic : image.topicsByName().values()) {
            topic.partitions().forEach((index, p) -> removeReplica(image, broker, topic, index, records));
        }
    }

    /**
     * The record taking {@code broker} out of the ISR and leadership of one partition (it stays the only ISR member
     * if it is the last), if it is in either; the broker is not eligible as the new leader.
     */
    static void removeReplica(MetadataImage image, int broker, TopicImage topic, int index,
                              List<MetadataRecord> records) {
        PartitionRegistration p = topic.partitions().get(index);
        if (!contains(p.isr(), broker) && p.leader() != broker) {
            return;
        }
        int[] isr = p.isr().length > 1 || !contains(p.isr(), broker) ? without(p.isr(), broker) : p.isr();
        int leader = p.leader() == broker || !contains(isr, p.leader())
                ? electLeader(image.brokers(), p.replicas(), isr, broker) : p.leader();
        if (leader == NO_LEADER && uncleanElectionEnabled(image, topic.name())) {
            leader = electLeader(image.brokers(), p.replicas(), p.replicas(), broker);
            if (leader != NO_LEADER) {
                isr = new int[] {leader};
            }
        }
        records.add(new PartitionChangeRecord(topic.id(), index, null, isr, leader));
    }

    /** Records giving {@code broker} the leadership of the leaderless partitions whose ISR it is in. */
    static void electRejoined(MetadataImage image, int broker, List<MetadataRecord> records) {
        for (TopicImage topic : image.topicsByName().values()) {
            topic.partitions().forEach((index, p) -> {
                if (p.leader() == NO_LEADER && contains(p.isr(), broker)) {
                    records.add(new PartitionChangeRecord(topic.id(), index, null, null, broker));
                }
            });
        }
    }

    /** Whether {@code broker} leads any partition. */
    static boolean leadsAny(MetadataImage image, int broker) {
        return image.topicsByName().values().stream()
                .anyMatch(t -> t.partitions().values().stream().anyMatch(p -> p.leader() == broker));
    }

    static boolean uncleanElectionEnabled(MetadataImage image, String topic) {
        String key = TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG;
        String value = image.topicConfigs(topic).get(key);
        if (value == null) {
            value = image.brokerConfigs("").get(key);
        }
        return Boolean.parseBoolean(value);
    }

    /** The first replica, in replica order, that is in {@code candidates}, unfenced and not {@code excluded}. */
    static int electLeader(Map<Integer, BrokerRegistration> brokers, int[] replicas, int[] candidates,
                                   int excluded) {
        for (int replica : replicas) {
            BrokerRegistration b = brokers.get(replica);
            if (replica != excluded && contains(candidates, replica) && b != null && !b.fenced()) {
                return replica;
            }
        }
        return NO_LEADER;
    }

    static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static int[] without(int[] values, int value) {
        return Arrays.stream(values).filter(v -> v != value).toArray();
    }
}
