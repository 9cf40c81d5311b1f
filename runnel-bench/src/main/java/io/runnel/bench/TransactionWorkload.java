package io.runnel.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@link TransactionalProducerPerf} into a new one-partition topic, transactions of {@code perTransaction} records
 * committed one after the other, then the topic read back whole by a {@code read_committed} consumer
 * ({@link AssignConsumerPerf}).
 */
record TransactionWorkload(int valueSize, int perTransaction, long records) implements Workload {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final double MIB = 1024.0 * 1024;

    @Override
    public String name() {
        return "transactional produce " + ProduceWorkload.sizeLabel(valueSize) + ", " + perTransaction
                + "-record transactions, 1 partition";
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        String topic = "bench-txn-" + perTransaction;
        broker.createTopic(topic, 1, Map.of());
        ToolRun produce = tools.runBenchTool(broker, TransactionalProducerPerf.class, List.of(broker.bootstrap(), topic,
                Long.toString(records), Integer.toString(perTransaction), Integer.toString(valueSize)), TIMEOUT);
        Map<String, Double> produced = ToolOutput.keyValues(produce.output());
        double seconds = produced.get("elapsed_ns") / 1e9;
        double bytes = produced.get("bytes");
        Measurement producing = ProduceWorkload.throughput(name(), broker, repetition,
                produced.get("records") / seconds, bytes / MIB / seconds, produce.cpuSecondsPerGib(bytes),
                produce.loadAverage());
        ToolRun consume = tools.runBenchTool(broker, AssignConsumerPerf.class,
                List.of(broker.bootstrap(), topic, "read_committed"), TIMEOUT);
        Map<String, Double> consumed = ToolOutput.keyValues(consume.output());
        double consumeSeconds = consumed.get("elapsed_ns") / 1e9;
        double consumedBytes = consumed.get("bytes");
        Measurement consuming = ProduceWorkload.throughput("consume read_committed "
                        + ProduceWorkload.sizeLabel(valueSize) + ", " + perTransaction + "-record transactions",
                broker, repetition, consumed.get("records") / consumeSeconds, consumedBytes / MIB / consumeSeconds,
                consume.cpuSecondsPerGib(consumedBytes), consume.loadAverage());
        return List.of(producing, consuming);
    }
}
