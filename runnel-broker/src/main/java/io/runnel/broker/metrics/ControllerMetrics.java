package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicImage;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Kafka's {@code kafka.controller:type=KafkaController} gauges of a controller: ActiveControllerCount (1 on the active
 * controller only, so that it sums to 1 over the cluster) and the cluster's counts as its metadata image has them.
 * The counts are taken once per image, when a gauge is read: a scrape of six gauges walks the image once, and an image
 * nobody scrapes is never walked.
 */
public final class ControllerMetrics {
    private static final String DOMAIN = "kafka.controller";
    private static final String TYPE = "KafkaController";

    private static final Counts NO_IMAGE = new Counts(null, 0, 0, 0, 0, 0, 0);

    private final Supplier<MetadataImage> image;
    private volatile Counts last;

    /** The counts of one image. */
    private record Counts(MetadataImage image, int topics, int partitions, int offline, int imbalanced, int fenced,
                          int active) {
        static Counts of(MetadataImage image) {
            int partitions = 0;
            int offline = 0;
            int imbalanced = 0;
            for (TopicImage topic : image.topicsById().values()) {
                for (PartitionRegistration p : topic.partitions().values()) {
                    partitions++;
                    if (p.leader() < 0) {
                        offline++;
                    }
                    if (p.replicas().length > 0 && p.leader() != p.replicas()[0]) {
                        imbalanced++;
                    }
                }
            }
            int fenced = 0;
            for (BrokerRegistration broker : image.brokers().values()) {
                if (broker.fenced()) {
                    fenced++;
                }
            }
            return new Counts(image, image.topicsById().size(), partitions, offline, imbalanced, fenced,
                    image.brokers().size() - fenced);
        }
    }

    public ControllerMetrics(BrokerMetrics metrics, Supplier<MetadataImage> image, BooleanSupplier activeController) {
        this.image = image;
        metrics.gauge(KafkaMetricName.of(DOMAIN, TYPE, "ActiveControllerCount"),
                (Gauge<Integer>) () -> activeController.getAsBoolean() ? 1 : 0);
        count(metrics, "GlobalTopicCount", Counts::topics);
        count(metrics, "GlobalPartitionCount", Counts::partitions);
        count(metrics, "OfflinePartitionsCount", Counts::offline);
        count(metrics, "PreferredReplicaImbalanceCount", Counts::imbalanced);
        count(metrics, "FencedBrokerCount", Counts::fenced);
        count(metrics, "ActiveBrokerCount", Counts::active);
    }

    private void count(BrokerMetrics metrics, String name, ToIntFunction<Counts> value) {
        metrics.gauge(KafkaMetricName.of(DOMAIN, TYPE, name), (Gauge<Integer>) () -> value.applyAsInt(counts()));
    }

    private Counts counts() {
        MetadataImage current = image.get();
        if (current == null) {
            return NO_IMAGE; // the quorum has not applied its log yet
        }
        Counts counts = last;
        if (counts == null || counts.image != current) {
            counts = Counts.of(current);
            last = counts;
        }
        return counts;
    }
}
