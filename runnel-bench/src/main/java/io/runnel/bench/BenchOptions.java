package io.runnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@link SideBySide}.
 *
 * @param groups {@code null} to detect consumer-group support, else whether to use the group-based Apache tools
 */
record BenchOptions(Suite suite, int repetitions, boolean quick, boolean spread, List<BrokerKind> brokers,
        Boolean groups,
        String kafkaClasspath, String runnelClasspath, Path outDir, Path workDir) {

    private static final int SPREAD_REPETITIONS = 5;
    private static final int MIN_SPREAD_REPETITIONS = 3;

    static final String USAGE = """
            SideBySide --kafka-classpath-file FILE [--runnel-classpath CP] [options]
              --suite core|compaction|groups|cluster|transactions|security|all
                                       workloads measured (default core: produce, consume, latency;
                                       cluster: the same on three nodes with RF 3)
              --brokers kafka,runnel   brokers to measure, in this order within each repetition (default both)
              --repetitions N          runs per broker and workload, alternating (default 2, --quick 1)
              --quick                  a short smoke run: small workloads, one repetition
              --spread                 report each broker's median and its min and max over the runs (and the
                                       ratio of the medians) instead of the mean; 5 repetitions unless given
                                       (at least 3)
              --groups auto|yes|no     consume with Apache's group-based tools (default: yes if every broker
                                       measured assigns a subscribing consumer its partitions)
              --out DIR                where the Markdown report goes (default target)
              --work-dir DIR           parent of the brokers' temporary data directories (default java.io.tmpdir)
            """;

    static BenchOptions parse(String[] args) throws IOException {
        Suite suite = Suite.CORE;
        Integer repetitions = null;
        boolean quick = false;
        boolean spread = false;
        List<BrokerKind> brokers = List.of(BrokerKind.KAFKA, BrokerKind.RUNNEL);
        Boolean groups = null;
        String kafkaClasspath = null;
        String runnelClasspath = null;
        Path outDir = Path.of("target");
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--suite" -> suite = Suite.parse(value(args, ++i, option));
                case "--quick" -> quick = true;
                case "--spread" -> spread = true;
                case "--repetitions" -> repetitions = Integer.parseInt(value(args, ++i, option));
                case "--brokers" -> brokers = Arrays.stream(value(args, ++i, option).split(","))
                        .map(BrokerKind::parse).toList();
                case "--groups" -> groups = switch (value(args, ++i, option)) {
                    case "auto" -> null;
                    case "yes" -> Boolean.TRUE;
                    case "no" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("--groups takes auto, yes or no\n" + USAGE);
                };
                case "--kafka-classpath-file" -> kafkaClasspath = Files.readString(Path.of(value(args, ++i, option)))
                        .trim();
                case "--runnel-classpath" -> runnelClasspath = value(args, ++i, option);
                case "--out" -> outDir = Path.of(value(args, ++i, option));
                case "--work-dir" -> workDir = Path.of(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        if (kafkaClasspath == null) {
            throw new IllegalArgumentException("--kafka-classpath-file is required: Apache's tools run on it\n" + USAGE);
        }
        if (brokers.contains(BrokerKind.RUNNEL) && runnelClasspath == null) {
            throw new IllegalArgumentException("--runnel-classpath is required to measure Runnel\n" + USAGE);
        }
        int runs = repetitions != null ? repetitions : spread ? SPREAD_REPETITIONS : quick ? 1 : 2;
        if (spread && runs < MIN_SPREAD_REPETITIONS) {
            throw new IllegalArgumentException("--spread needs at least " + MIN_SPREAD_REPETITIONS
                    + " repetitions\n" + USAGE);
        }
        return new BenchOptions(suite, runs, quick, spread, new ArrayList<>(brokers), groups, kafkaClasspath,
                runnelClasspath, outDir, workDir);
    }

    String classpath(BrokerKind kind) {
        return kind == BrokerKind.KAFKA ? kafkaClasspath : runnelClasspath;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[index];
    }
}
