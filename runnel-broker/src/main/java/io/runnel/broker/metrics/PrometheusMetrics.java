package io.runnel.broker.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;

/**
 * One broker's metrics in Prometheus' formats (client_java): its Dropwizard registry under the names the JMX
 * exporter's Kafka rules give them, the collectors the broker adds (consumer lag), and the JVM's metrics. A scrape
 * reads everything when asked; nothing is kept or counted twice.
 */
public final class PrometheusMetrics {
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    /**
     * The JVM's metrics, once per JVM: they describe the process, and their collectors (GC listeners among them) are
     * never removed, so the many brokers a test JVM starts must not each add theirs.
     */
    private static final class Jvm {
        static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(REGISTRY);
        }
    }

    /** A scrape's body and the content type of the format it is written in. */
    public record Scrape(String contentType, byte[] body) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();

    PrometheusMetrics(MetricRegistry dropwizard, Collection<KafkaMetricsBean> kafkaMetrics) {
        registry.register(new DropwizardCollector(dropwizard));
        registry.register(new KafkaMetricsCollector(kafkaMetrics));
    }

    /** Adds a collector read at every scrape. */
    public void register(MultiCollector collector) {
        registry.register(collector);
    }

    /**
     * Reads every metric now and writes it in the format the {@code Accept} header asks for: OpenMetrics when it
     * names it, Prometheus' text format 0.0.4 otherwise (also for protobuf, whose writer is not on the class path).
     * It reads logs' and images' gauges, so call it off an event loop.
     */
    public Scrape scrape(String accept) {
        ExpositionFormatWriter writer = FORMATS.findWriter(accept);
        if (!writer.isAvailable()) {
            writer = FORMATS.getPrometheusTextFormatWriter();
        }
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        for (MetricSnapshot snapshot : registry.scrape()) {
            all.metricSnapshot(snapshot);
        }
        for (MetricSnapshot snapshot : Jvm.REGISTRY.scrape()) {
            all.metricSnapshot(snapshot);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(body, all.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return new Scrape(writer.getContentType(), body.toByteArray());
    }
}
