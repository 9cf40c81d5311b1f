package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * One broker's Dropwizard registry, read when scraped, as the Prometheus JMX exporter's Kafka rules would read its
 * MBeans (see {@link JmxExporterName}): a gauge's {@code Value} is a gauge; a meter's {@code Count} a counter; a
 * histogram's or timer's {@code Count} a counter {@code <name>_count} and its percentiles (a timer's in
 * milliseconds, as JMX shows them) a gauge {@code <name>} with a {@code quantile} label ("0.50" ... "0.999", the rules' strings). Rates are left out, as the rules leave them: Prometheus
 * computes rates from the counters. The values are the registry's own, the very ones JMX shows.
 */
final class DropwizardCollector implements MultiCollector {
    /** A histogram's percentile attributes, by the quantile label the rules give them. */
    private static final Map<String, ToDoubleFunction<Snapshot>> QUANTILES = Map.of(
            "0.50", Snapshot::getMedian,
            "0.75", Snapshot::get75thPercentile,
            "0.95", Snapshot::get95thPercentile,
            "0.98", Snapshot::get98thPercentile,
            "0.99", Snapshot::get99thPercentile,
            "0.999", Snapshot::get999thPercentile);
    private static final String QUANTILE = "quantile";
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final MetricRegistry registry;

    DropwizardCollector(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    public MetricSnapshots collect() {
        Families families = new Families();
        registry.getGauges().forEach((objectName, gauge) -> {
            JmxExporterName name = JmxExporterName.of(objectName);
            Double value = valueOf(gauge);
            if (name != null && value != null) {
                families.gauge(name.gaugeName(), name.labels(), value);
            }
        });
        registry.getMeters().forEach((objectName, meter) -> {
            JmxExporterName name = JmxExporterName.of(objectName);
            if (name != null) {
                families.counter(name.meterBase(), name.labels(), meter.getCount());
            }
        });
        registry.getHistograms().forEach((objectName, histogram) -> {
            JmxExporterName name = JmxExporterName.of(objectName);
            if (name != null) {
                histogram(families, name, histogram.getCount(), histogram.getSnapshot(), 1);
            }
        });
        registry.getTimers().forEach((objectName, timer) -> {
            JmxExporterName name = JmxExporterName.of(objectName);
            if (name != null) {
                histogram(families, name, timer.getCount(), timer.getSnapshot(), NANOS_PER_MILLI);
            }
        });
        return families.snapshots();
    }

    /** @param divisor what turns the snapshot's values into JMX's: a timer's nanoseconds into milliseconds */
    private static void histogram(Families families, JmxExporterName name, long count, Snapshot snapshot,
                                  double divisor) {
        families.counter(name.countName(), name.labels(), count);
        QUANTILES.forEach((quantile, value) -> families.gauge(name.base(), name.labels().add(QUANTILE, quantile),
                value.applyAsDouble(snapshot) / divisor));
    }

    /** A gauge's numeric value (booleans as 1 and 0, as the exporter reads them), null for anything else. */
    private static Double valueOf(Gauge<?> gauge) {
        Object value;
        try {
            value = gauge.getValue();
        } catch (RuntimeException e) {
            return null; // a gauge of something closing under it (a log being deleted): left out of this scrape
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Boolean bool) {
            return bool ? 1.0 : 0.0;
        }
        return null;
    }

    /**
     * The families of one scrape. A name two kinds of metric would share, or a series two object names would
     * (names that differ only where the exporter's cleaning makes them equal), keeps the first: the text format
     * allows each once, and one odd name must not fail the whole scrape.
     */
    private static final class Families {
        private final Map<String, List<CounterDataPointSnapshot>> counters = new HashMap<>();
        private final Map<String, List<GaugeDataPointSnapshot>> gauges = new HashMap<>();
        private final Map<String, Set<Labels>> seen = new HashMap<>();

        void counter(String name, Labels labels, double value) {
            if (!gauges.containsKey(name) && first(name, labels)) {
                counters.computeIfAbsent(name, n -> new ArrayList<>())
                        .add(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
            }
        }

        void gauge(String name, Labels labels, double value) {
            if (!counters.containsKey(name) && first(name, labels)) {
                gauges.computeIfAbsent(name, n -> new ArrayList<>())
                        .add(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
            }
        }

        private boolean first(String name, Labels labels) {
            return seen.computeIfAbsent(name, n -> new HashSet<>()).add(labels);
        }

        MetricSnapshots snapshots() {
            List<MetricSnapshot> snapshots = new ArrayList<>();
            counters.forEach((name, points) -> snapshots.add(new CounterSnapshot(
                    new MetricMetadata(name), points)));
            gauges.forEach((name, points) -> snapshots.add(new GaugeSnapshot(
                    new MetricMetadata(name), points)));
            return new MetricSnapshots(snapshots);
        }
    }
}
