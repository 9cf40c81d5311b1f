package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import io.runnel.broker.replica.Partition;

import java.util.Collection;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * Kafka's {@code kafka.server:type=ReplicaManager}: gauges counted over the hosted partitions when read (a scrape,
 * not a request, pays for the walk), and the ISR change meters marked as the controller accepts a change.
 */
public final class ReplicaManagerMetrics {
    private static final String DOMAIN = "kafka.server";
    private static final String TYPE = "ReplicaManager";

    private final Meter isrShrinks;
    private final Meter isrExpands;

    /**
     * @param partitions  a live view of the partitions this broker hosts
     * @param offline     partitions this broker should host but cannot (their log could not be created or loaded)
     */
    public ReplicaManagerMetrics(BrokerMetrics metrics, Collection<Partition> partitions, IntSupplier offline) {
        gauge(metrics, "PartitionCount", partitions::size);
        gauge(metrics, "LeaderCount", () -> count(partitions, Partition::isLeader));
        gauge(metrics, "UnderReplicatedPartitions", () -> count(partitions,
                p -> p.isLeader() && p.isrSize() < p.replicationFactor()));
        gauge(metrics, "UnderMinIsrPartitionCount", () -> count(partitions,
                p -> p.isLeader() && p.isrSize() < p.minInsyncReplicas()));
        gauge(metrics, "AtMinIsrPartitionCount", () -> count(partitions,
                p -> p.isLeader() && p.isrSize() == p.minInsyncReplicas()));
        gauge(metrics, "OfflineReplicaCount", offline);
        this.isrShrinks = metrics.meter(KafkaMetricName.of(DOMAIN, TYPE, "IsrShrinksPerSec"));
        this.isrExpands = metrics.meter(KafkaMetricName.of(DOMAIN, TYPE, "IsrExpandsPerSec"));
    }

    private static void gauge(BrokerMetrics metrics, String name, IntSupplier value) {
        metrics.gauge(KafkaMetricName.of(DOMAIN, TYPE, name), (Gauge<Integer>) value::getAsInt);
    }

    private static int count(Collection<Partition> partitions, Predicate<Partition> which) {
        int n = 0;
        for (Partition p : partitions) {
            if (which.test(p)) {
                n++;
            }
        }
        return n;
    }

    /** A committed ISR change of a partition led here, by how the ISR's size moved. */
    public void isrChanged(int before, int after) {
        if (after < before) {
            isrShrinks.mark();
        } else if (after > before) {
            isrExpands.mark();
        }
    }
}
