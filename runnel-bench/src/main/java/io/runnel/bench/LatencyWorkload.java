package io.runnel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end latency with {@link HdrEndToEndLatency} at a fixed rate; when the brokers support consumer groups,
 * Apache's EndToEndLatency (one record in flight at a time) as well.
 */
record LatencyWorkload(int recordSize, String acks, int recordsPerSecond, long warmupRecords, long records,
        long apacheRecords) implements Workload {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Override
    public String name() {
        return "e2e " + recordSize + " B at " + recordsPerSecond + " records/s, acks=" + acks;
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        String topic = "bench-latency";
        broker.createTopic(topic, 1);
        List<Measurement> results = new ArrayList<>();
        ToolRun own = tools.runBenchTool(broker, HdrEndToEndLatency.class, List.of(broker.bootstrap(), topic,
                Integer.toString(recordsPerSecond), Long.toString(warmupRecords), Long.toString(records),
                Integer.toString(recordSize), acks), TIMEOUT);
        Map<String, Double> figures = ToolOutput.keyValues(own.output());
        results.add(measurement(name(), broker, repetition, figures.get("p50_us"), figures.get("p99_us"),
                figures.get("p999_us"), figures.get("avg_us"), own.loadAverage()));
        if (tools.groupsSupported) {
            String apacheTopic = "bench-latency-apache";
            broker.createTopic(apacheTopic, 1);
            ToolRun apache = tools.runKafkaTool(broker, "org.apache.kafka.tools.EndToEndLatency", List.of(
                    "--bootstrap-server", broker.bootstrap(), "--topic", apacheTopic,
                    "--num-records", Long.toString(apacheRecords), "--producer-acks", acks,
                    "--record-size", Integer.toString(recordSize)), TIMEOUT);
            double[] latency = ToolOutput.endToEndLatency(apache.output());
            results.add(measurement("e2e " + recordSize + " B acks=" + acks
                    + ", one in flight (Apache EndToEndLatency, whole ms)",
                    broker, repetition, latency[0], latency[1], latency[2], latency[3], apache.loadAverage()));
        }
        return results;
    }

    private static Measurement measurement(String workload, BrokerCluster broker, int repetition, double p50,
            double p99, double p999, double average, String loadAverage) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        values.put(Metric.E2E_P50_US, p50);
        values.put(Metric.E2E_P99_US, p99);
        values.put(Metric.E2E_P999_US, p999);
        values.put(Metric.E2E_AVG_US, average);
        return new Measurement(workload, broker.kind, repetition, values, loadAverage);
    }
}
