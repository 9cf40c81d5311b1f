package io.runnel.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The figures of every run, summarised per workload and metric for each broker, with the ratio Runnel / Kafka: the
 * mean over repetitions, or with {@code spread} the median with the min and max beside it (the ratio then of the
 * medians); rendered as aligned text or Markdown.
 */
final class ResultTable {
    private final List<BrokerKind> brokers;
    private final boolean spread;
    private final List<Measurement> measurements = new ArrayList<>();
    private final Set<String> workloads = new LinkedHashSet<>();
    private final List<String> failures = new ArrayList<>();

    ResultTable(List<BrokerKind> brokers, boolean spread) {
        this.brokers = brokers;
        this.spread = spread;
    }

    void add(List<Measurement> results) {
        for (Measurement m : results) {
            measurements.add(m);
            workloads.add(m.workload());
        }
    }

    void failed(String workload, BrokerKind broker, int repetition, String reason) {
        failures.add(workload + ", " + broker.label + " run " + repetition + ": " + reason);
    }

    List<String> failures() {
        return failures;
    }

    String text() {
        List<String[]> rows = summaryRows();
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                String format = i < 2 ? "%-" + widths[i] + "s  " : "%" + widths[i] + "s  ";
                out.append(String.format(Locale.ROOT, format, row[i]));
            }
            out.setLength(out.length() - 2);
            out.append('\n');
        }
        return out.toString();
    }

    String markdownSummary() {
        return markdown(summaryRows());
    }

    /** Every run's figures with the load average at its end, in the order they ran. */
    String markdownRuns() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"workload", "broker", "run", "figures", "load average (1, 5, 15 min)"});
        for (Measurement m : measurements) {
            rows.add(new String[] {m.workload(), m.broker().label, Integer.toString(m.repetition()), m.figures(),
                m.loadAverage()});
        }
        return markdown(rows);
    }

    private List<String[]> summaryRows() {
        List<String> header = new ArrayList<>(List.of("workload", "metric"));
        brokers.forEach(b -> header.add(b.label));
        boolean ratio = brokers.contains(BrokerKind.KAFKA) && brokers.contains(BrokerKind.RUNNEL);
        if (ratio) {
            header.add("Runnel/Kafka");
        }
        header.add("load 1m (" + brokers.stream().map(b -> b.label).collect(Collectors.joining(" / ")) + ")");
        List<String[]> rows = new ArrayList<>();
        rows.add(header.toArray(String[]::new));
        for (String workload : workloads) {
            String load = brokers.stream().map(b -> format(meanLoad(workload, b), "%.1f"))
                    .collect(Collectors.joining(" / "));
            for (Metric metric : Metric.values()) {
                if (measurements.stream().noneMatch(m -> m.workload().equals(workload)
                        && m.values().containsKey(metric))) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(workload, metric.label));
                for (BrokerKind broker : brokers) {
                    row.add(cell(values(workload, broker, metric), metric));
                }
                if (ratio) {
                    OptionalDouble kafka = summary(values(workload, BrokerKind.KAFKA, metric));
                    OptionalDouble runnel = summary(values(workload, BrokerKind.RUNNEL, metric));
                    row.add(kafka.isPresent() && runnel.isPresent()
                            ? String.format(Locale.ROOT, "%.2f", runnel.getAsDouble() / kafka.getAsDouble()) : "—");
                }
                row.add(load);
                rows.add(row.toArray(String[]::new));
            }
        }
        return rows;
    }

    /** One broker's figures for a workload and metric, sorted. */
    private double[] values(String workload, BrokerKind broker, Metric metric) {
        return measurements.stream()
                .filter(m -> m.workload().equals(workload) && m.broker() == broker && m.values().containsKey(metric))
                .mapToDouble(m -> m.values().get(metric)).sorted().toArray();
    }

    /** The mean, or with spread the median (of an even count, the mean of the middle two). */
    private OptionalDouble summary(double[] sorted) {
        if (sorted.length == 0) {
            return OptionalDouble.empty();
        }
        if (!spread) {
            return Arrays.stream(sorted).average();
        }
        int middle = sorted.length / 2;
        return OptionalDouble.of(sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
    }

    private String cell(double[] sorted, Metric metric) {
        OptionalDouble summary = summary(sorted);
        if (summary.isEmpty()) {
            return "—";
        }
        String value = metric.format(summary.getAsDouble());
        return spread ? value + " (" + metric.format(sorted[0]) + "–" + metric.format(sorted[sorted.length - 1]) + ")"
                : value;
    }

    private OptionalDouble meanLoad(String workload, BrokerKind broker) {
        return measurements.stream().filter(m -> m.workload().equals(workload) && m.broker() == broker)
                .mapToDouble(m -> Double.parseDouble(m.loadAverage().split(" ")[0])).average();
    }

    private static String format(OptionalDouble value, String format) {
        return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "—";
    }

    private static String markdown(List<String[]> rows) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                out.append("|").append("---|".repeat(rows.get(0).length)).append('\n');
            }
        }
        return out.toString();
    }
}
