package io.runnel.tools;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/** A client's metrics as the --print-metrics option of Kafka's perf tools prints them: sorted, one per line. */
final class MetricsTable {
    private MetricsTable() {
    }

    static void print(PrintWriter out, Map<MetricName, ? extends Metric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        Map<String, Object> sorted = new TreeMap<>();
        int width = 0;
        for (Metric metric : metrics.values()) {
            MetricName name = metric.metricName();
            String displayName = name.group() + ":" + name.name() + ":" + name.tags();
            width = Math.max(width, displayName.length());
            sorted.put(displayName, metric.metricValue());
        }
        out.printf("%n%-" + width + "s   %s%n", "Metric Name", "Value");
        for (Map.Entry<String, Object> entry : sorted.entrySet()) {
            String format = entry.getValue() instanceof Double ? "%-" + width + "s : %.3f%n" : "%-" + width + "s : %s%n";
            out.printf(format, entry.getKey(), entry.getValue());
        }
        out.flush();
    }
}
