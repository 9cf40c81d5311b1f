package io.runnel.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of one workload run against one broker, with the load average at its end. */
record Measurement(String workload, BrokerKind broker, int repetition, Map<Metric, Double> values,
        String loadAverage) {

    /** This measurement with one more figure. */
    Measurement with(Metric metric, double value) {
        Map<Metric, Double> more = new EnumMap<>(Metric.class);
        more.putAll(values);
        more.put(metric, value);
        return new Measurement(workload, broker, repetition, more, loadAverage);
    }

    String figures() {
        return values.entrySet().stream().map(e -> e.getKey().label + " " + e.getKey().format(e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
