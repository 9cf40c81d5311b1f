package io.runnel.bench;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the figures out of the client tools' output. */
final class ToolOutput {
    private static final Pattern PRODUCER_SUMMARY =
            Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\).*99\\.9th");
    private static final Pattern E2E_AVERAGE = Pattern.compile("Avg latency: ([\\d.]+) ms");
    private static final Pattern E2E_PERCENTILES =
            Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99\\.9th = (\\d+)");
    private static final int CONSUMER_PERF_FIELDS = 10;
    private static final int CONSUMER_PERF_FETCH_MIB_PER_SEC = 8;
    private static final int CONSUMER_PERF_FETCH_RECORDS_PER_SEC = 9;
    private static final int CONSUMER_PERF_MIB = 2;

    private ToolOutput() {
    }

    /** ProducerPerformance's final summary: records/s and MiB/s (its "MB" are 2^20 bytes). */
    static double[] producerPerformance(List<String> output) throws IOException {
        Matcher m = last(output, PRODUCER_SUMMARY);
        return new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
    }

    /**
     * ConsumerPerformance's data line: fetch records/s, fetch MiB/s (both excluding the group join) and MiB read.
     */
    static double[] consumerPerformance(List<String> output) throws IOException {
        for (int i = output.size() - 1; i >= 0; i--) {
            String[] fields = output.get(i).split(",\\s*");
            if (fields.length == CONSUMER_PERF_FIELDS && fields[CONSUMER_PERF_MIB].matches("[\\d.]+")) {
                return new double[] {Double.parseDouble(fields[CONSUMER_PERF_FETCH_RECORDS_PER_SEC]),
                    Double.parseDouble(fields[CONSUMER_PERF_FETCH_MIB_PER_SEC]),
                    Double.parseDouble(fields[CONSUMER_PERF_MIB])};
            }
        }
        throw new IOException("no ConsumerPerformance figures in:\n" + JavaProcess.tail(output));
    }

    /** Apache EndToEndLatency's p50, p99, p99.9 (whole ms, truncated) and average, all in µs. */
    static double[] endToEndLatency(List<String> output) throws IOException {
        double average = Double.parseDouble(last(output, E2E_AVERAGE).group(1));
        Matcher p = last(output, E2E_PERCENTILES);
        return new double[] {Double.parseDouble(p.group(1)) * 1000, Double.parseDouble(p.group(2)) * 1000,
            Double.parseDouble(p.group(3)) * 1000, average * 1000};
    }

    /** The {@code key=value} pairs of the last line this module's tools print. */
    static Map<String, Double> keyValues(List<String> output) throws IOException {
        for (int i = output.size() - 1; i >= 0; i--) {
            String line = output.get(i);
            if (line.startsWith(ResultLine.PREFIX)) {
                Map<String, Double> values = new HashMap<>();
                for (String pair : line.substring(ResultLine.PREFIX.length()).trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
                }
                return values;
            }
        }
        throw new IOException("no result line in:\n" + JavaProcess.tail(output));
    }

    private static Matcher last(List<String> output, Pattern pattern) throws IOException {
        for (int i = output.size() - 1; i >= 0; i--) {
            Matcher m = pattern.matcher(output.get(i));
            if (m.find()) {
                return m;
            }
        }
        throw new IOException("no match for " + pattern + " in:\n" + JavaProcess.tail(output));
    }
}
