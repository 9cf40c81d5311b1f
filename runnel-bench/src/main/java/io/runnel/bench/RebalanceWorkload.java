package io.runnel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RebalanceLatency} for each partition count, with the classic protocol (client-side range assignor, the
 * default) and with the consumer protocol (KIP-848, server-side assignor), each on its own topic and group.
 */
record RebalanceWorkload(List<Integer> partitionCounts, int joins) implements Workload {
    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    private static final List<String> PROTOCOLS = List.of("classic", "consumer");
    /** KIP-848 members learn of a new assignment at their next heartbeat; Kafka also needs its minimum lowered. */
    private static final String CONSUMER_HEARTBEAT_MS = "500";

    @Override
    public String name() {
        return "rebalance";
    }

    @Override
    public Map<String, String> brokerConfig() {
        return Map.of("group.consumer.heartbeat.interval.ms", CONSUMER_HEARTBEAT_MS,
                "group.consumer.min.heartbeat.interval.ms", CONSUMER_HEARTBEAT_MS);
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        List<Measurement> results = new ArrayList<>();
        for (int partitions : partitionCounts) {
            for (String protocol : PROTOCOLS) {
                String topic = "bench-rebalance-" + protocol + "-" + partitions;
                broker.createTopic(topic, partitions);
                ToolRun run = tools.runBenchTool(broker, RebalanceLatency.class, List.of(broker.bootstrap(), topic,
                        Integer.toString(partitions), protocol, Integer.toString(joins)), TIMEOUT);
                Map<String, Double> figures = ToolOutput.keyValues(run.output());
                Map<Metric, Double> values = new EnumMap<>(Metric.class);
                values.put(Metric.REBALANCE_MEDIAN_MS, figures.get("median_ms"));
                values.put(Metric.REBALANCE_MAX_MS, figures.get("max_ms"));
                results.add(new Measurement("rebalance, 3rd member joins 2, " + partitions + " partitions, "
                        + protocol + " protocol (" + joins + " joins)", broker.kind, repetition, values,
                        run.loadAverage()));
            }
        }
        return results;
    }
}
