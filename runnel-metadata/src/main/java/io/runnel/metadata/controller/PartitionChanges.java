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
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The leader and ISR changes that follow a broker's fencing, unfencing or unclean shutdown, as Kafka's controller
 * makes them with eligible leader replicas on: a fenced broker leaves every ISR and its leaderships move to the first
 * replica in the remaining ISR that is unfenced, else to an unfenced eligible leader replica; with none, the partition
 * has no leader, or with {@code unclean.leader.election.enable} an unfenced replica outside the ISR becomes leader and
 * the only member. A broker coming back leads the leaderless partitions whose ISR or ELR it is in.
 */
final class PartitionChanges {
    static final int NO_LEADER = -1;

    private PartitionChanges() {
    }

    /**
     * Records taking {@code broker} out of every ISR and leadership, judged with it already fenced; with
     * {@code unclean}, its last shutdown was unclean and it leaves every ELR as well.
     */
    static void removeBroker(MetadataImage image, EligibleLeaders elr, int broker, boolean unclean,
                             List<MetadataRecord> records) {
        for (TopicImage topic : image.topicsByName().values()) {
            topic.partitions().forEach((index, p) -> {
                if (unclean || contains(p.isr(), broker) || p.leader() == broker) {
                    removeReplica(image, elr, broker, unclean, topic, index, records);
                }
            });
        }
    }

    /**
     * The record taking {@code broker} out of the ISR and leadership of one partition (into its ELR if the ISR falls
     * below min.insync.replicas), if it is in any of them; the broker is not eligible as the new leader. With
     * {@code unclean} (its last shutdown was unclean) it leaves the ELR instead of joining it, but stays the ISR's
     * last member if it is: no other replica is known to hold what it holds, so it leads again once unfenced, as in
     * Kafka.
     */
    static void removeReplica(MetadataImage image, EligibleLeaders elr, int broker, boolean unclean, TopicImage topic,
                              int index, List<MetadataRecord> records) {
        PartitionRegistration p = topic.partitions().get(index);
        if (!contains(p.isr(), broker) && p.leader() != broker && !(unclean && contains(p.elr(), broker))) {
            return;
        }
        boolean lastMember = p.isr().length == 1 && p.isr()[0] == broker;
        int[] isr = unclean && lastMember ? p.isr() : without(p.isr(), broker);
        int leader = p.leader() == broker || !contains(isr, p.leader())
                ? electLeader(image.brokers(), p.replicas(), isr, broker) : p.leader();
        PartitionChangeRecord change = elr.complete(image, topic, p,
                new PartitionChangeRecord(topic.id(), index, null, isr, leader), broker,
                unclean ? Set.of(broker) : Set.of());
        int elected = change.leader() == PartitionChangeRecord.NO_LEADER_CHANGE ? p.leader() : change.leader();
        if (elected == NO_LEADER && uncleanElectionEnabled(image, topic.name())) {
            int uncleanLeader = electLeader(image.brokers(), p.replicas(), p.replicas(), broker);
            if (uncleanLeader != NO_LEADER) {
                change = elr.complete(image, topic, p, new PartitionChangeRecord(topic.id(), index, null,
                        new int[] {uncleanLeader}, uncleanLeader));
            }
        }
        records.add(change);
    }

    /** Records giving {@code broker} the leadership of the leaderless partitions whose ISR, or empty ISR's ELR, it is in. */
    static void electRejoined(MetadataImage image, EligibleLeaders elr, int broker, List<MetadataRecord> records) {
        for (TopicImage topic : image.topicsByName().values()) {
            topic.partitions().forEach((index, p) -> {
                if (p.leader() != NO_LEADER) {
                    return;
                }
                if (contains(p.isr(), broker)) {
                    records.add(elr.complete(image, topic, p,
                            new PartitionChangeRecord(topic.id(), index, null, null, broker)));
                } else if (p.isr().length == 0 && contains(p.elr(), broker)) {
                    records.add(elr.complete(image, topic, p,
                            new PartitionChangeRecord(topic.id(), index, null, new int[] {broker}, broker)));
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
