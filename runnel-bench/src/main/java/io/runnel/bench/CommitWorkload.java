package io.runnel.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** {@link CommitThroughput} with commitSync, then with commitAsync, each for a fixed time in its own group. */
record CommitWorkload(int seconds) implements Workload {
    private static final Duration EXTRA_TIMEOUT = Duration.ofSeconds(90);

    @Override
    public String name() {
        return "offset commits";
    }

    @Override
    public List<Measurement> run(ClientTools tools, BrokerCluster broker, int repetition) throws Exception {
        String topic = "bench-commits";
        broker.createTopic(topic, 1);
        List<Measurement> results = new ArrayList<>();
        for (String mode : List.of("sync", "async")) {
            ToolRun run = tools.runBenchTool(broker, CommitThroughput.class, List.of(broker.bootstrap(), topic,
                    "bench-commits-" + mode, mode, Integer.toString(seconds)),
                    EXTRA_TIMEOUT.plusSeconds(seconds));
            Map<String, Double> figures = ToolOutput.keyValues(run.output());
            double commits = figures.get("commits");
            Map<Metric, Double> values = new EnumMap<>(Metric.class);
            values.put(Metric.COMMITS_PER_SEC, commits / (figures.get("elapsed_ns") / 1e9));
            // the tool's whole run: its group join and start-up add a fixed cost, small beside the commits
            values.put(Metric.BROKER_CPU_US_PER_COMMIT, run.brokerCpuSeconds() / commits * 1e6);
            String calls = mode.equals("sync") ? "commitSync" : "commitAsync (32 in flight)";
            results.add(new Measurement("offset commits, 1 member, " + calls + ", " + seconds + " s", broker.kind,
                    repetition, values, run.loadAverage()));
        }
        return results;
    }
}
