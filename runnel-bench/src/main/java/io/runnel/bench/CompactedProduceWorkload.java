package io.runnel.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@link KeyedProducerPerf} at full speed ({@code acks=1}, default batching) into a new one-partition topic with
 * {@code cleanup.policy=compact}: the cost of keyed appends to a compacted log (the cleaner keeps its defaults).
 */
record CompactedProduceWorkload(int valueSize, int keys, long records) implements Workload {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final double MIB = 1024.0 * 1024;

    @Override
    public String name() {
        return "produce keyed " + ProduceWorkload.sizeLabel(valueSize) + " acks=1, compacted topic, "
                + keys / 1000 + "k keys";
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        String topic = "bench-compacted-" + valueSize + "b";
        broker.createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
        ToolRun produce = tools.runBenchTool(broker, KeyedProducerPerf.class, List.of(broker.bootstrap(), topic,
                Long.toString(records), Integer.toString(keys), Integer.toString(valueSize), "1"), TIMEOUT);
        Map<String, Double> figures = ToolOutput.keyValues(produce.output());
        double seconds = figures.get("elapsed_ns") / 1e9;
        double bytes = figures.get("bytes");
        return List.of(ProduceWorkload.throughput(name(), broker, repetition, figures.get("records") / seconds,
                bytes / MIB / seconds, produce.cpuSecondsPerGib(bytes), produce.loadAverage()));
    }
}
