package io.runnel.broker.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A metric's Kafka object name ({@link KafkaMetricName}) as the Prometheus JMX exporter's Kafka example rules
 * ({@code kafka-2_0_0.yml}, {@code lowercaseOutputName: true}) name it: {@code kafka.server:type=BrokerTopicMetrics,
 * name=MessagesInPerSec,topic=t} becomes the base name {@code kafka_server_brokertopicmetrics_messagesin} and the label
 * {@code topic="t"}. Deriving the names from the object names, rather than listing them, keeps /metrics and JMX from
 * ever drifting apart.
 *
 * @param prefix {@code kafka_<domain>_<type>_}, lower case, with what a metric name cannot hold made {@code _}
 * @param name   the MBean's {@code name} key as it is; {@link #base()} and {@link #meterBase()} derive the metric names
 * @param labels the object name's other keys, in order, as labels (names kept as they are, as the rules keep them)
 */
record JmxExporterName(String prefix, String name, Labels labels) {
    private static final String PER_SEC = "PerSec";
    private static final String PERCENT = "Percent";

    /**
     * The exporter's name of an object name, or null when it is not one of Kafka's ({@code domain:type=...,name=...})
     * or its keys cannot be labels.
     */
    static JmxExporterName of(String objectName) {
        return of(objectName, null);
    }

    /**
     * The exporter's name of one attribute of a Kafka-library MBean ({@link KafkaMetricsBean}), whose object name has
     * no {@code name} key: the attribute takes its place, as the exporter's rule for them has it ({@code
     * kafka.server<type=(.+), listener=(.+), networkProcessor=(.+)><>(.+)} named {@code kafka_server_$1_$4}), so
     * {@code connection-count} reads {@code kafka_server_socket_server_metrics_connection_count}.
     */
    static JmxExporterName ofAttribute(String objectName, String attribute) {
        return of(objectName, attribute);
    }

    private static JmxExporterName of(String objectName, String attribute) {
        int colon = objectName.indexOf(':');
        if (colon < 0 || !objectName.startsWith("kafka.")) {
            return null;
        }
        String type = null;
        String name = attribute;
        List<String> labelNames = new ArrayList<>();
        List<String> labelValues = new ArrayList<>();
        for (String property : objectName.substring(colon + 1).split(",")) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            String key = property.substring(0, eq);
            String value = property.substring(eq + 1);
            switch (key) {
                case "type" -> type = value;
                case "name" -> {
                    if (attribute != null) {
                        return null;
                    }
                    name = value;
                }
                default -> {
                    labelNames.add(PrometheusNaming.sanitizeLabelName(key)); // client-id: client_id, as the exporter
                    labelValues.add(value);
                }
            }
        }
        if (type == null || name == null) {
            return null;
        }
        String prefix = safe(objectName.substring(0, colon) + "_" + type + "_");
        try {
            return new JmxExporterName(prefix, name, Labels.of(labelNames, labelValues));
        } catch (IllegalArgumentException e) {
            return null; // a key twice, or one Prometheus reserves: this metric is left out, never the whole scrape
        }
    }

    /** A gauge's name ({@code Value}) and a histogram's percentiles' ({@code <n>thPercentile}, a quantile label). */
    String base() {
        return prefix + safe(name);
    }

    /**
     * A gauge's name: the exporter's "Percent metrics" rules come before the generic ones, so a name
     * {@code <n>Percent...} with at most one other key reads {@code <prefix><n>_percent}
     * ({@code NetworkProcessorAvgIdlePercent}: {@code kafka_network_socketserver_networkprocessoravgidle_percent}).
     */
    String gaugeName() {
        int percent = name.lastIndexOf(PERCENT);
        return percent > 0 && labels.size() <= 1 ? prefix + safe(name.substring(0, percent)) + "_percent" : base();
    }

    /**
     * A meter's counter name ({@code Count}): {@code ...PerSec} loses that suffix (the rules' {@code _total} is added by
     * the counter's exposition); a meter without it is counted as a histogram's {@code Count} is, {@code <base>_count}.
     */
    String meterBase() {
        int perSec = name.lastIndexOf(PER_SEC);
        return perSec > 0 ? prefix + safe(name.substring(0, perSec)) : countName();
    }

    /** A histogram's {@code Count}: a counter {@code <base>_count} (exposed as {@code <base>_count_total}). */
    String countName() {
        return base() + "_count";
    }

    /**
     * Lower case, every character a metric name cannot hold made {@code _}, never two {@code _} in a row: the
     * exporter's own cleaning, so that {@code socket-server-metrics} reads {@code socket_server_metrics}.
     */
    private static String safe(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean valid = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ':' || c == '_';
            char next = valid ? c : '_';
            if (next == '_' && out.length() > 0 && out.charAt(out.length() - 1) == '_') {
                continue;
            }
            out.append(next);
        }
        return out.toString();
    }
}
