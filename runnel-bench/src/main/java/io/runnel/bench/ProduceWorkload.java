package io.runnel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Apache's ProducerPerformance at full speed into a new topic, then, if {@code consumeAfter}, reading it all back:
 * with Apache's ConsumerPerformance when the brokers support consumer groups, else with {@link AssignConsumerPerf}.
 */
record ProduceWorkload(int recordSize, String acks, int partitions, long records, boolean consumeAfter)
        implements Workload {
    private static final Duration PRODUCE_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(120);
    private static final double MIB = 1024.0 * 1024;

    @Override
    public String name() {
        return "produce " + sizeLabel(recordSize) + " acks=" + acks + ", " + partitionsLabel();
    }

    private String consumeName(boolean groups) {
        return "consume " + sizeLabel(recordSize) + ", " + partitionsLabel()
                + (groups ? " (ConsumerPerformance)" : " (assign)");
    }

    static String sizeLabel(int recordSize) {
        return recordSize >= 1024 && recordSize % 1024 == 0 ? recordSize / 1024 + " KiB" : recordSize + " B";
    }

    private String partitionsLabel() {
        return partitions + (partitions == 1 ? " partition" : " partitions");
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        String topic = "bench-" + recordSize + "b-" + partitions + "p";
        broker.createTopic(topic, partitions);
        List<Measurement> results = new ArrayList<>();
        List<String> produceArgs = new ArrayList<>(List.of("--bootstrap-server", broker.clientBootstrap(),
                "--topic", topic, "--num-records", Long.toString(records), "--record-size",
                Integer.toString(recordSize), "--throughput", "-1", "--command-property", "acks=" + acks));
        produceArgs.addAll(broker.clientConfigArgs());
        ToolRun produce = tools.runKafkaTool(broker, "org.apache.kafka.tools.ProducerPerformance", produceArgs,
                PRODUCE_TIMEOUT);
        double[] rates = ToolOutput.producerPerformance(produce.output());
        results.add(throughput(name(), broker, repetition, rates[0], rates[1],
                produce.cpuSecondsPerGib((double) records * recordSize), produce.loadAverage()));
        if (consumeAfter) {
            results.add(tools.groupsSupported ? consumeWithGroup(tools, broker, topic, repetition)
                    : consumeWithAssign(tools, broker, topic, repetition));
        }
        return results;
    }

    private Measurement consumeWithGroup(ClientTools tools, BrokerCluster broker, String topic, int repetition)
            throws Exception {
        List<String> consumeArgs = new ArrayList<>(List.of("--bootstrap-server", broker.clientBootstrap(),
                "--topic", topic, "--num-records", Long.toString(records), "--timeout", "30000"));
        consumeArgs.addAll(broker.clientConfigArgs());
        ToolRun consume = tools.runKafkaTool(broker, "org.apache.kafka.tools.ConsumerPerformance", consumeArgs,
                CONSUME_TIMEOUT);
        double[] figures = ToolOutput.consumerPerformance(consume.output());
        return throughput(consumeName(true), broker, repetition, figures[0], figures[1],
                consume.cpuSecondsPerGib(figures[2] * MIB), consume.loadAverage());
    }

    private Measurement consumeWithAssign(ClientTools tools, BrokerCluster broker, String topic, int repetition)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(broker.clientBootstrap(), topic, "read_uncommitted"));
        if (broker.clientConfig() != null) {
            args.add(broker.clientConfig().toString());
        }
        ToolRun consume = tools.runBenchTool(broker, AssignConsumerPerf.class, args, CONSUME_TIMEOUT);
        Map<String, Double> figures = ToolOutput.keyValues(consume.output());
        double seconds = figures.get("elapsed_ns") / 1e9;
        double bytes = figures.get("bytes");
        return throughput(consumeName(false), broker, repetition, figures.get("records") / seconds,
                bytes / MIB / seconds, consume.cpuSecondsPerGib(bytes), consume.loadAverage());
    }

    /** Records/s, MiB/s and broker CPU-s/GiB: the figures of every throughput workload. */
    static Measurement throughput(String workload, BrokerCluster broker, int repetition,
            double recordsPerSec, double mibPerSec, double cpuSecondsPerGib, String loadAverage) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        values.put(Metric.RECORDS_PER_SEC, recordsPerSec);
        values.put(Metric.MIB_PER_SEC, mibPerSec);
        values.put(Metric.BROKER_CPU_SECONDS_PER_GIB, cpuSecondsPerGib);
        return new Measurement(workload, broker.kind, repetition, values, loadAverage);
    }
}
