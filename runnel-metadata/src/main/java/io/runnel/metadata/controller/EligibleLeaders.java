package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.PartitionRegistration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Eligible leader replicas (KIP-966), as Kafka's PartitionChangeBuilder keeps them. While the ISR is below
 * min.insync.replicas the high watermark does not advance, so a replica that leaves the ISR then still holds every
 * committed record: it joins the ELR, and when the ISR is empty an unfenced ELR member may lead (the ISR becomes that
 * member alone) instead of the partition staying offline or losing records to an unclean election. Once the ISR is back
 * at min.insync.replicas the ELR is cleared; a replica whose broker shut down uncleanly leaves it (its log may have lost
 * unflushed records). When the ISR becomes empty the last leader is kept as the last known ELR.
 */
final class EligibleLeaders {
    private static final int[] NONE = new int[0];

    /** A partition's ISR, ELR, last known ELR and leader after a change. */
    record State(int[] isr, int[] elr, int[] lastKnownElr, int leader) {
    }

    private EligibleLeaders() {
    }

    /**
     * The state after {@code p}'s ISR becomes {@code targetIsr} with {@code leader} elected from it (or
     * {@link PartitionChanges#NO_LEADER}); a leaderless partition with an empty ISR elects the first unfenced ELR member
     * in replica order. {@code uncleanShutdown} are brokers whose last shutdown was unclean.
     */
    static State apply(PartitionRegistration p, int[] targetIsr, int leader, int minIsr,
                       Map<Integer, BrokerRegistration> brokers, Set<Integer> uncleanShutdown) {
        int[] elr;
        if (targetIsr.length >= minIsr) {
            elr = NONE;
        } else {
            elr = IntStream.concat(Arrays.stream(p.elr()), Arrays.stream(p.isr())).distinct()
                    .filter(r -> !PartitionChanges.contains(targetIsr, r) && !uncleanShutdown.contains(r)).toArray();
        }
        int[] isr = targetIsr;
        if (leader == PartitionChanges.NO_LEADER && isr.length == 0) {
            int fromElr = PartitionChanges.electLeader(brokers, p.replicas(), elr, PartitionChanges.NO_LEADER);
            if (fromElr != PartitionChanges.NO_LEADER) {
                leader = fromElr;
                isr = new int[] {fromElr};
                int elected = fromElr;
                elr = Arrays.stream(elr).filter(r -> r != elected).toArray();
            }
        }
        int[] lastKnownElr;
        if (isr.length == 0 && p.leader() != PartitionChanges.NO_LEADER) {
            lastKnownElr = new int[] {p.leader()};
        } else if (leader != PartitionChanges.NO_LEADER) {
            lastKnownElr = NONE;
        } else {
            lastKnownElr = p.lastKnownElr();
        }
        return new State(isr, elr, lastKnownElr, leader);
    }
}
