package io.runnel.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Apache Kafka and Runnel side by side on this machine: for each workload, the brokers alternate (Kafka, Runnel,
 * Kafka, Runnel...), each started fresh in its own JVM with the same heap and GC flags, so that slow drifts of a
 * shared machine's load hit both alike. Prints the summary table and writes it, with every run's figures and load
 * average, as Markdown to the output directory. See docs/performance.md.
 */
public final class SideBySide {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private SideBySide() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalDateTime started = LocalDateTime.now();
        String loadAtStart = ProcStats.loadAverage();
        // only the core, cluster and security suites' consumption and latency depend on it: the other suites use their own
        // tools on both brokers
        boolean apacheTools = options.suite().includes(Suite.CORE) || options.suite().includes(Suite.CLUSTER)
                || options.suite().includes(Suite.SECURITY);
        boolean groups = apacheTools && (options.groups() != null ? options.groups() : groupsSupported(options));
        if (apacheTools) {
            log("consumption with " + (groups ? "Apache's ConsumerPerformance (consumer groups)"
                    : "AssignConsumerPerf (assign, no consumer group)"));
        }
        ClientTools tools = new ClientTools(options.kafkaClasspath(), System.getProperty("java.class.path"),
                new ProcStats(), groups);
        ResultTable table = new ResultTable(options.brokers(), options.spread());
        Set<BrokerKind> unstartable = EnumSet.noneOf(BrokerKind.class);
        List<Workload> workloads = new ArrayList<>();
        if (options.suite().includes(Suite.CORE)) {
            workloads.addAll(coreWorkloads(options.quick()));
        }
        if (options.suite().includes(Suite.COMPACTION)) {
            workloads.addAll(compactionWorkloads(options.quick()));
        }
        if (options.suite().includes(Suite.GROUPS)) {
            workloads.addAll(groupWorkloads(options.quick()));
        }
        if (options.suite().includes(Suite.CLUSTER)) {
            workloads.addAll(clusterWorkloads(options.quick()));
        }
        if (options.suite().includes(Suite.TRANSACTIONS)) {
            workloads.addAll(transactionWorkloads(options.quick()));
        }
        if (options.suite().includes(Suite.SECURITY)) {
            workloads.addAll(securityWorkloads(options.quick(), BenchTls.in(options.workDir().resolve("tls"))));
        }
        for (Workload workload : workloads) {
            for (int rep = 1; rep <= options.repetitions(); rep++) {
                for (BrokerKind kind : options.brokers()) {
                    if (unstartable.contains(kind)) {
                        table.failed(workload.name(), kind, rep, "skipped: the broker did not start before");
                        continue;
                    }
                    log(workload.name() + ", run " + rep + "/" + options.repetitions() + ": " + kind.label);
                    BrokerCluster broker;
                    try {
                        broker = BrokerCluster.start(kind, options.classpath(kind), options.workDir(),
                                workload.brokerConfig(), workload.nodes(), workload.security());
                    } catch (Exception e) {
                        unstartable.add(kind);
                        table.failed(workload.name(), kind, rep, firstLine(e));
                        log("  " + e.getMessage());
                        continue;
                    }
                    try (broker) {
                        List<Measurement> results;
                        try (BrokerRss rss = BrokerRss.sample(broker.pids())) {
                            results = workload.run(tools, broker, rep);
                            results = results.stream().map(m -> m.with(Metric.BROKER_PEAK_RSS_MIB, rss.peakMib()))
                                    .toList();
                        }
                        table.add(results);
                        results.forEach(m -> log("  " + m.workload() + ": " + m.figures() + "; load " + m.loadAverage()));
                    } catch (Exception e) {
                        table.failed(workload.name(), kind, rep, firstLine(e));
                        log("  failed: " + e.getMessage());
                    }
                }
            }
        }
        String loadAtEnd = ProcStats.loadAverage();
        System.out.println();
        System.out.print(table.text());
        table.failures().forEach(f -> System.out.println("FAILED " + f));
        Path report = writeReport(options, table, started, loadAtStart, loadAtEnd);
        System.out.println("\nreport: " + report.toAbsolutePath());
    }

    /** ~10-20 s per run of Kafka on this 2-core machine; the quick list is a smoke run of a minute or two. */
    private static List<Workload> coreWorkloads(boolean quick) {
        if (quick) {
            return List.of(new ProduceWorkload(1024, "1", 1, 200_000, true),
                    new ProduceWorkload(100, "all", 8, 500_000, false),
                    latency("1", true));
        }
        List<Workload> workloads = new ArrayList<>();
        for (int recordSize : new int[] {1024, 100}) {
            long records = recordSize == 1024 ? 1_500_000 : 4_000_000;
            for (int partitions : new int[] {1, 8}) {
                // acks=all writes the same data as acks=1: reading it back once per topic shape is enough
                workloads.add(new ProduceWorkload(recordSize, "1", partitions, records, true));
                workloads.add(new ProduceWorkload(recordSize, "all", partitions, records, false));
            }
        }
        workloads.add(latency("1", false));
        return workloads;
    }

    /** 100-byte records at 1,000 records/s: below saturation here. */
    private static LatencyWorkload latency(String acks, boolean quick) {
        return quick ? new LatencyWorkload(100, acks, 1_000, 1_000, 3_000, 1_000)
                : new LatencyWorkload(100, acks, 1_000, 3_000, 10_000, 5_000);
    }

    /**
     * 1 KiB records on six partitions (two leaders per node) of three nodes, every partition on all three and
     * acks=all needing two of them; latency as in the core suite, with either acks.
     */
    private static List<Workload> clusterWorkloads(boolean quick) {
        int partitions = 6;
        long records = quick ? 200_000 : 1_000_000;
        List<Workload> workloads = new ArrayList<>();
        workloads.add(new ProduceWorkload(1024, "1", partitions, records, true));
        workloads.add(new ProduceWorkload(1024, "all", partitions, records, false));
        workloads.add(latency("1", quick));
        workloads.add(latency("all", quick));
        return workloads.stream().map(w -> (Workload) new ReplicatedWorkload(w, 3, 2)).toList();
    }

    /** 1 KiB records in transactions of 100 and 1,000 records, on one node and on three (RF 3, min.insync 2). */
    private static List<Workload> transactionWorkloads(boolean quick) {
        long records = quick ? 50_000 : 300_000;
        List<Workload> single = List.of(new TransactionWorkload(1024, 100, records),
                new TransactionWorkload(1024, 1000, records));
        List<Workload> workloads = new ArrayList<>(single);
        single.forEach(w -> workloads.add(new ReplicatedWorkload(w, 3, 2)));
        return workloads;
    }

    /**
     * 1 KiB records produced (acks=1) and read back by clients over SSL and over SASL_SSL with PLAIN, on one and on
     * eight partitions of one node: the same workloads as the core suite's, so the PLAINTEXT figures compare.
     */
    private static List<Workload> securityWorkloads(boolean quick, BenchTls tls) {
        long records = quick ? 200_000 : 1_500_000;
        List<Workload> workloads = new ArrayList<>();
        for (String protocol : List.of("SSL", "SASL_SSL")) {
            ClientSecurity security = new ClientSecurity(protocol, tls);
            for (int partitions : quick ? new int[] {1} : new int[] {1, 8}) {
                workloads.add(new SecuredWorkload(new ProduceWorkload(1024, "1", partitions, records, true), security));
            }
        }
        return workloads;
    }

    /** Keyed records over 10 k keys: ~10 s of Kafka per produce run, ~40 s per compaction run. */
    private static List<Workload> compactionWorkloads(boolean quick) {
        int keys = 10_000;
        if (quick) {
            // the compacted log (~1.2 MB for 10 k keys) plus its active segment must fall below 5 % of the log
            return List.of(new CompactedProduceWorkload(100, keys, 200_000),
                    new CompactionWorkload(100, keys, 1_000_000));
        }
        return List.of(new CompactedProduceWorkload(1024, keys, 500_000),
                new CompactedProduceWorkload(100, keys, 2_000_000),
                new CompactionWorkload(100, keys, 4_000_000));
    }

    /** Both group protocols on 10 and 100 partitions, then commits: ~1.5 min per broker run. */
    private static List<Workload> groupWorkloads(boolean quick) {
        return List.of(new RebalanceWorkload(quick ? List.of(10) : List.of(10, 100), quick ? 2 : 5),
                new CommitWorkload(quick ? 3 : 10));
    }

    /** Consumer groups are used only if every broker measured supports them (Kafka does). */
    private static boolean groupsSupported(BenchOptions options) throws Exception {
        if (!options.brokers().contains(BrokerKind.RUNNEL)) {
            return true;
        }
        log("probing Runnel for consumer-group support");
        try (BrokerCluster runnel = BrokerCluster.start(BrokerKind.RUNNEL, options.runnelClasspath(),
                options.workDir(), Map.of())) {
            return GroupSupportProbe.supportsGroups(runnel);
        } catch (Exception e) {
            log("  probe failed: " + firstLine(e));
            return false;
        }
    }

    private static Path writeReport(BenchOptions options, ResultTable table, LocalDateTime started,
            String loadAtStart, String loadAtEnd) throws Exception {
        Files.createDirectories(options.outDir());
        Path report = options.outDir().resolve(
                "side-by-side-" + started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        StringBuilder md = new StringBuilder();
        md.append("# Runnel vs Apache Kafka, side by side\n\n");
        md.append("- started ").append(started.withNano(0)).append(", finished ")
                .append(LocalDateTime.now().withNano(0)).append('\n');
        md.append("- ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs; load average (1, 5, 15 min) ")
                .append(loadAtStart).append(" at start, ").append(loadAtEnd).append(" at end\n");
        md.append("- suite ").append(options.suite().name().toLowerCase(Locale.ROOT)).append("; ")
                .append(options.repetitions()).append(" alternating run(s) per broker and workload")
                .append(options.quick() ? " (quick)" : "").append("; broker JVM ")
                .append(String.join(" ", JavaProcess.BROKER_JVM)).append('\n');
        md.append(options.spread() ? "- figures are medians over runs, with the min and max in brackets; ratio is of the"
                + " medians, Runnel / Kafka\n\n" : "- figures are means over runs; ratio is Runnel / Kafka\n\n");
        md.append(table.markdownSummary()).append("\n## Every run\n\n").append(table.markdownRuns());
        if (!table.failures().isEmpty()) {
            md.append("\n## Failures\n\n");
            table.failures().forEach(f -> md.append("- ").append(f).append('\n'));
        }
        Files.writeString(report, md);
        return report;
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static void log(String line) {
        System.out.println("[" + LocalDateTime.now().format(CLOCK) + "] " + line);
    }
}
