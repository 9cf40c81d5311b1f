package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;
import io.runnel.metadata.record.PartitionChangeRecord;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Eligible leader replicas (KIP-966), kept as Kafka's PartitionChangeBuilder keeps them. While the ISR is below
 * min.insync.replicas the high watermark does not advance, so a replica that leaves the ISR then still holds every
 * committed record: it joins the ELR, and when the ISR is empty an unfenced ELR member may lead (the ISR becomes that
 * member alone) instead of the partition losing records to an unclean election. Once the ISR is back at
 * min.insync.replicas the ELR and the last known ELR are cleared. A replica whose broker shut down uncleanly (its log
 * may have lost unflushed records) leaves the ELR for the last known ELR, which only an operator's unclean election
 * can use, unless no other replica could lead: a partition whose every eligible replica crashed (a single broker
 * killed, say) waits for them rather than for an operator, as the last ISR member did before ELR. An unclean
 * election clears both lists.
 */
final class EligibleLeaders {
    private static final int[] NONE = new int[0];

    private final int defaultMinInsyncReplicas;

    /** {@code defaultMinInsyncReplicas} is the controller's static {@code min.insync.replicas}. */
    EligibleLeaders(int defaultMinInsyncReplicas) {
        this.defaultMinInsyncReplicas = defaultMinInsyncReplicas;
    }

    /**
     * {@code change} of {@code topic}'s partition {@code p} completed with the ELR and last known ELR it implies; a
     * change leaving {@code p} leaderless with an empty ISR elects the first unfenced ELR member in replica order other
     * than {@code excluded} (a broker being fenced by the same operation). {@code uncleanShutdown} are brokers whose
     * last shutdown was unclean.
     */
    PartitionChangeRecord complete(MetadataImage image, TopicImage topic, PartitionRegistration p,
                                   PartitionChangeRecord change, int excluded, Set<Integer> uncleanShutdown) {
        int[] replicas = change.replicas() == null ? p.replicas() : change.replicas();
        int[] isr = change.isr() == null ? p.isr() : change.isr();
        int leader = change.leader() == PartitionChangeRecord.NO_LEADER_CHANGE ? p.leader() : change.leader();
        int[] elr;
        int[] lastKnownElr;
        if (uncleanElection(p, change, leader) || isr.length >= minInsyncReplicas(image, topic)) {
            elr = NONE;
            lastKnownElr = NONE;
        } else {
            int[] targetIsr = isr;
            int[] candidates = IntStream.concat(Arrays.stream(p.elr()), Arrays.stream(p.isr())).distinct()
                    .filter(r -> PartitionChanges.contains(replicas, r)).toArray();
            int[] outsideIsr = Arrays.stream(candidates).filter(r -> !PartitionChanges.contains(targetIsr, r))
                    .toArray();
            elr = Arrays.stream(outsideIsr).filter(r -> !uncleanShutdown.contains(r)).toArray();
            if (isr.length == 0 && elr.length == 0) {
                // Nothing else may lead: the replicas back from an unclean shutdown stay eligible.
                elr = outsideIsr;
            }
            int[] eligible = elr;
            lastKnownElr = IntStream.concat(Arrays.stream(candidates), Arrays.stream(p.lastKnownElr())).distinct()
                    .filter(r -> PartitionChanges.contains(replicas, r) && !PartitionChanges.contains(targetIsr, r)
                            && !PartitionChanges.contains(eligible, r)).toArray();
            if (leader == PartitionChanges.NO_LEADER && isr.length == 0) {
                int elected = PartitionChanges.electLeader(image.brokers(), replicas, elr, excluded);
                if (elected != PartitionChanges.NO_LEADER) {
                    leader = elected;
                    isr = new int[] {elected};
                    elr = Arrays.stream(elr).filter(r -> r != elected).toArray();
                }
            }
        }
        return new PartitionChangeRecord(change.topicId(), change.partition(), change.replicas(),
                change.isr() == null && Arrays.equals(isr, p.isr()) ? null : isr,
                change.leader() == PartitionChangeRecord.NO_LEADER_CHANGE && leader == p.leader()
                        ? PartitionChangeRecord.NO_LEADER_CHANGE : leader,
                change.addingReplicas(), change.removingReplicas(),
                Arrays.equals(elr, p.elr()) ? null : elr,
                Arrays.equals(lastKnownElr, p.lastKnownElr()) ? null : lastKnownElr);
    }

    /** {@link #complete} for a change by no broker's fencing and no unclean shutdown. */
    PartitionChangeRecord complete(MetadataImage image, TopicImage topic, PartitionRegistration p,
                                   PartitionChangeRecord change) {
        return complete(image, topic, p, change, PartitionChanges.NO_LEADER, Set.of());
    }

    /**
     * Whether {@code change} makes a replica that is neither in the ISR nor in the ELR leader and only ISR member: an
     * unclean election, after which the ELR means nothing.
     */
    private static boolean uncleanElection(PartitionRegistration p, PartitionChangeRecord change, int leader) {
        return leader >= 0 && change.isr() != null && change.isr().length == 1 && change.isr()[0] == leader
                && !PartitionChanges.contains(p.isr(), leader) && !PartitionChanges.contains(p.elr(), leader);
    }

    /** The topic's min.insync.replicas: its own, else the cluster's dynamic default, else the static one. */
    int minInsyncReplicas(MetadataImage image, TopicImage topic) {
        String key = TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG;
        String value = image.topicConfigs(topic.name()).get(key);
        if (value == null) {
            value = image.brokerConfigs("").get(key);
        }
        return value == null ? defaultMinInsyncReplicas : Integer.parseInt(value);
    }
}
