package io.runnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The log cleaner's speed. {@link KeyedProducerPerf} fills a one-partition topic (1 MiB segments, so nearly all of
 * the log is in closed segments) while its policy is still {@code delete}; switching it to {@code compact}
 * (IncrementalAlterConfigs) starts the clock. Completion is seen from outside, the same way on both brokers: the sum
 * of the partition's {@code *.log} files (cleaned copies, swaps and files awaiting deletion have other suffixes)
 * falls below {@value #DONE_FRACTION} of its size before cleaning and then stays put for {@link #SETTLED}; the
 * cleaning time ends at the last change. Reading the topic back ({@link AssignConsumerPerf}) counts the records
 * left. The broker's heap is polled over JMX ({@link BrokerHeap}) during cleaning.
 */
record CompactionWorkload(int valueSize, int keys, long records) implements Workload {
    private static final Duration PRODUCE_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration CLEANING_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration SETTLED = Duration.ofSeconds(3);
    private static final long POLL_MS = 100;
    private static final double DONE_FRACTION = 0.05;
    private static final String SEGMENT_BYTES = Integer.toString(1024 * 1024); // Kafka's minimum

    @Override
    public String name() {
        return "compaction of " + records / 1_000_000 + " M keyed " + ProduceWorkload.sizeLabel(valueSize)
                + " records, " + keys / 1000 + "k keys";
    }

    /** The cleaner looks for work every 100 ms instead of 15 s, on both brokers. */
    @Override
    public Map<String, String> brokerConfig() {
        return Map.of("log.cleaner.backoff.ms", "100");
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        String topic = "bench-compaction";
        broker.createTopic(topic, 1, Map.of("cleanup.policy", "delete", "segment.bytes", SEGMENT_BYTES,
                "min.cleanable.dirty.ratio", "0.01"));
        ToolRun fill = tools.runBenchTool(broker, KeyedProducerPerf.class, List.of(broker.bootstrap(), topic,
                Long.toString(records), Integer.toString(keys), Integer.toString(valueSize), "1"), PRODUCE_TIMEOUT);
        ToolOutput.keyValues(fill.output());
        BrokerNode node = broker.onlyNode();
        Path partition = node.partitionDir(topic, 0);
        long sizeBefore = logBytes(partition);

        double cpuBefore = tools.brokerCpuSeconds(broker);
        double cleaningSeconds;
        double cpuSeconds;
        BrokerHeap heap = BrokerHeap.attach(node.pid());
        try (heap) {
            long start = System.nanoTime();
            broker.setTopicConfig(topic, "cleanup.policy", "compact");
            long lastChange = start;
            long size = sizeBefore;
            while (true) {
                Thread.sleep(POLL_MS); // polling an outside observable: the broker gives no completion signal
                heap.poll();
                long now = System.nanoTime();
                long current = logBytes(partition);
                if (current != size) {
                    size = current;
                    lastChange = now;
                } else if (size < sizeBefore * DONE_FRACTION && now - lastChange >= SETTLED.toNanos()) {
                    break;
                }
                if (now - start > CLEANING_TIMEOUT.toNanos()) {
                    throw new TimeoutException("log still " + size + " of " + sizeBefore + " bytes after "
                            + CLEANING_TIMEOUT.toSeconds() + " s");
                }
            }
            cleaningSeconds = (lastChange - start) / 1e9;
            cpuSeconds = tools.brokerCpuSeconds(broker) - cpuBefore;
        }
        ToolRun read = tools.runBenchTool(broker, AssignConsumerPerf.class, List.of(broker.bootstrap(), topic),
                PRODUCE_TIMEOUT);
        double left = ToolOutput.keyValues(read.output()).get("records");

        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        values.put(Metric.CLEANING_SECONDS, cleaningSeconds);
        values.put(Metric.RECORDS_CLEANED_PER_SEC, (records - left) / cleaningSeconds);
        values.put(Metric.RECORDS_AFTER_CLEANING, left);
        values.put(Metric.BROKER_CPU_SECONDS, cpuSeconds);
        values.put(Metric.PEAK_HEAP_USED_MIB, heap.peakUsedMib());
        return List.of(new Measurement(name(), broker.kind, repetition, values, read.loadAverage()));
    }

    /** Bytes in the partition's segment files, {@code <base offset>.log}. */
    private static long logBytes(Path partition) throws IOException {
        try (Stream<Path> files = Files.list(partition)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // swapped out between listing and sizing: no longer part of the log
                }
            }).sum();
        }
    }
}
