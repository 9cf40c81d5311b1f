package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import org.apache.kafka.common.TopicPartition;

import java.util.function.LongSupplier;

/**
 * The lag of this broker's follower replicas, in messages, as Kafka's fetchers report it: after each fetch response a
 * partition's lag is the leader's high watermark less the follower's next offset (never below 0).
 * {@code kafka.server:type=ReplicaFetcherManager,name=MaxLag,clientId=Replica} is the largest over every fetcher, and
 * {@code kafka.server:type=FetcherLagMetrics,name=ConsumerLag,clientId=<fetcher>,topic=..,partition=..} each
 * partition's, tagged with Kafka's fetcher client id ({@code ReplicaFetcherThread-<index>-<source broker>}).
 */
public final class FetcherLagMetrics {
    private static final String DOMAIN = "kafka.server";

    private final BrokerMetrics metrics;

    public FetcherLagMetrics(BrokerMetrics metrics, LongSupplier maxLag) {
        this.metrics = metrics;
        metrics.gauge(KafkaMetricName.of(DOMAIN, "ReplicaFetcherManager", "MaxLag", "clientId", "Replica"),
                (Gauge<Long>) maxLag::getAsLong);
    }

    /** Kafka's client id of the fetcher {@code index} from {@code sourceBroker}. */
    public static String clientId(int index, int sourceBroker) {
        return "ReplicaFetcherThread-" + index + "-" + sourceBroker;
    }

    public void partitionAdded(String clientId, TopicPartition tp, LongSupplier lag) {
        metrics.gauge(name(clientId, tp), (Gauge<Long>) lag::getAsLong);
    }

    public void partitionRemoved(String clientId, TopicPartition tp) {
        metrics.remove(name(clientId, tp));
    }

    private static String name(String clientId, TopicPartition tp) {
        return KafkaMetricName.of(DOMAIN, "FetcherLagMetrics", "ConsumerLag", "clientId", clientId,
                "topic", tp.topic(), "partition", Integer.toString(tp.partition()));
    }
}
