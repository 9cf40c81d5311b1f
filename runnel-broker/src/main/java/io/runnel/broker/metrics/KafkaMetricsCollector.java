package io.runnel.broker.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kafka-library MBeans ({@link KafkaMetricsBean}) read when scraped, each numeric attribute a gauge under the JMX
 * exporter's name for it ({@link JmxExporterName#ofAttribute}); text attributes are left out, as the exporter leaves
 * them, and a series two beans would share keeps the first.
 */
final class KafkaMetricsCollector implements MultiCollector {
    private final Collection<KafkaMetricsBean> beans;

    KafkaMetricsCollector(Collection<KafkaMetricsBean> beans) {
        this.beans = beans;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Map<Labels, Double>> families = new LinkedHashMap<>();
        for (KafkaMetricsBean bean : beans) {
            bean.values().forEach((attribute, value) -> {
                JmxExporterName name = JmxExporterName.ofAttribute(bean.objectName(), attribute);
                if (name != null && value instanceof Number number) {
                    families.computeIfAbsent(name.base(), n -> new LinkedHashMap<>())
                            .putIfAbsent(name.labels(), number.doubleValue());
                }
            });
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        families.forEach((name, points) -> {
            List<GaugeDataPointSnapshot> data = new ArrayList<>();
            points.forEach((labels, value) -> data.add(
                    GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
            snapshots.add(new GaugeSnapshot(new MetricMetadata(name), data));
        });
        return new MetricSnapshots(snapshots);
    }
}
