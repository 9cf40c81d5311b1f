package io.runnel.tools;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * {@code runnel consumer-perf-test}: kafka-consumer-perf-test.sh. Consumes {@code --num-records} records as a group
 * member and prints Kafka's CSV header and figures: MB and records read, their rates, the time spent joining the
 * group (rebalance.time.ms) and the rates over the fetch time alone.
 */
@Command(name = "consumer-perf-test", mixinStandardHelpOptions = true, description = "Measure consumer throughput.")
final class ConsumerPerfTestCommand implements Callable<Integer> {
    private static final double MB = 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "SERVER", description = "The server(s) to connect to.")
    String bootstrapServer;

    @Option(names = "--topic", description = "The topic to consume from.")
    String topic;

    @Option(names = "--include", paramLabel = "REGEX", description = "Consume the topics matching this regular expression.")
    String include;

    @Option(names = "--num-records", paramLabel = "COUNT", description = "The number of records to consume.")
    Long numRecords;

    @Option(names = "--messages", paramLabel = "COUNT", description = "(Deprecated) Use --num-records.")
    Long messages;

    @Option(names = "--group", paramLabel = "GID", description = "The group id (default perf-consumer-<random>).")
    String group = "perf-consumer-" + ThreadLocalRandom.current().nextInt(100_000);

    @Option(names = "--fetch-size", defaultValue = "1048576", paramLabel = "SIZE",
            description = "max.partition.fetch.bytes (default 1048576).")
    int fetchSize;

    @Option(names = "--socket-buffer-size", defaultValue = "2097152", paramLabel = "SIZE",
            description = "receive.buffer.bytes (default 2097152).")
    int socketBufferSize;

    @Option(names = "--from-latest", description = "Without committed offsets, start at the end rather than the beginning.")
    boolean fromLatest;

    @Option(names = "--command-config", paramLabel = "FILE", description = "Consumer properties file.")
    Path commandConfig;

    @Option(names = "--consumer.config", paramLabel = "FILE", description = "(Deprecated) Use --command-config.")
    Path consumerConfig;

    @Option(names = "--command-property", paramLabel = "prop1=val1",
            description = "A consumer setting (repeatable); overrides the config file's.")
    List<String> commandProperties = new ArrayList<>();

    @Option(names = "--print-metrics", description = "Print the consumer's metrics at the end.")
    boolean printMetrics;

    @Option(names = "--show-detailed-stats", description = "Print a line per reporting interval.")
    boolean showDetailedStats;

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "INTERVAL-MS",
            description = "Interval of the detailed stats (default 5000).")
    long reportingIntervalMs;

    @Option(names = "--timeout", arity = "0..1", defaultValue = "10000", fallbackValue = "10000", paramLabel = "MS",
            description = "The longest wait between returned records (default 10000).")
    long timeoutMs;

    @Option(names = "--date-format", defaultValue = "yyyy-MM-dd HH:mm:ss:SSS", paramLabel = "FORMAT",
            description = "java.text.SimpleDateFormat of the time fields (default yyyy-MM-dd HH:mm:ss:SSS).")
    String dateFormat;

    @Option(names = "--hide-header", description = "Do not print the header line.")
    boolean hideHeader;

    private long joinTimeMs;
    private long joinTimeMsInRound;

    @Override
    public Integer call() throws Exception {
        long records = checkArguments();
        SimpleDateFormat format = new SimpleDateFormat(dateFormat);
        PrintWriter out = spec.commandLine().getOut();
        if (!hideHeader) {
            out.printf("%s, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, "
                    + "fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec%n", showDetailedStats ? "time, threadId" : "start.time, end.time");
        }
        long startMs = System.currentTimeMillis();
        long[] totals;
        Map<MetricName, ? extends Metric> metrics = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            totals = consume(consumer, records, startMs, format, out);
            if (printMetrics) {
                metrics = consumer.metrics();
            }
        }
        long endMs = System.currentTimeMillis();
        if (!showDetailedStats) {
            double elapsedSec = (endMs - startMs) / 1000.0;
            long fetchTimeMs = endMs - startMs - joinTimeMs;
            double mb = totals[1] / MB;
            out.printf("%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f%n", format.format(startMs), format.format(endMs),
                    mb, mb / elapsedSec, totals[0], totals[0] / elapsedSec, joinTimeMs, fetchTimeMs,
                    mb / (fetchTimeMs / 1000.0), totals[0] / (fetchTimeMs / 1000.0));
        }
        if (metrics != null) {
            MetricsTable.print(out, metrics);
        }
        out.flush();
        return 0;
    }

    private long checkArguments() {
        if ((topic == null) == (include == null)) {
            throw new ParameterException(spec.commandLine(), "Exactly one of --topic or --include must be specified.");
        }
        Long records = ClientProperties.renamed(numRecords, "--num-records", messages, "--messages", spec);
        if (records == null) {
            throw new ParameterException(spec.commandLine(), "Missing required argument \"[num-records]\"");
        }
        ClientProperties.renamed(commandConfig, "--command-config", consumerConfig, "--consumer.config", spec);
        if (reportingIntervalMs <= 0) {
            throw new ParameterException(spec.commandLine(), "Reporting interval must be greater than 0.");
        }
        return records;
    }

    private Properties consumerProperties() throws Exception {
        Properties props = ClientProperties.load(commandConfig != null ? commandConfig : consumerConfig,
                commandProperties, "--command-property", spec);
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.setProperty(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(socketBufferSize));
        props.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(fetchSize));
        props.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromLatest ? "latest" : "earliest");
        props.setProperty(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "perf-consumer-client");
        return props;
    }

    /** Consumes up to {@code records} records; returns the records and bytes (keys and values) read. */
    private long[] consume(KafkaConsumer<byte[], byte[]> consumer, long records, long startMs, SimpleDateFormat format,
            PrintWriter out) {
        JoinTimer listener = new JoinTimer(startMs);
        if (topic != null) {
            consumer.subscribe(List.of(topic), listener);
        } else {
            consumer.subscribe(Pattern.compile(include), listener);
        }
        long read = 0;
        long bytes = 0;
        long lastRead = 0;
        long lastBytes = 0;
        long now = System.currentTimeMillis();
        long lastReport = now;
        long lastConsumed = now;
        while (read < records && now - lastConsumed <= timeoutMs) {
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(100));
            now = System.currentTimeMillis();
            if (!polled.isEmpty()) {
                lastConsumed = now;
            }
            for (ConsumerRecord<byte[], byte[]> record : polled) {
                read++;
                bytes += (record.key() != null ? record.key().length : 0) + (record.value() != null ? record.value().length : 0);
                if (now - lastReport >= reportingIntervalMs) {
                    if (showDetailedStats) {
                        printProgress(out, format, read, lastRead, bytes, lastBytes, lastReport, now);
                    }
                    joinTimeMsInRound = 0;
                    lastReport = now;
                    lastRead = read;
                    lastBytes = bytes;
                }
            }
        }
        if (read < records) {
            out.printf("WARNING: Exiting before consuming the expected number of records: timeout (%d ms) exceeded. "
                    + "You can use the --timeout option to increase the timeout.%n", timeoutMs);
        }
        return new long[] {read, bytes};
    }

    private void printProgress(PrintWriter out, SimpleDateFormat format, long read, long lastRead, long bytes,
            long lastBytes, long startMs, long endMs) {
        double elapsedMs = endMs - startMs;
        double intervalMb = (bytes - lastBytes) / MB;
        long fetchTimeMs = endMs - startMs - joinTimeMsInRound;
        out.printf("%s, %d, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f%n", format.format(endMs), 0, bytes / MB,
                1000.0 * intervalMb / elapsedMs, read, 1000.0 * (read - lastRead) / elapsedMs, joinTimeMsInRound,
                fetchTimeMs, fetchTimeMs <= 0 ? 0.0 : 1000.0 * intervalMb / fetchTimeMs,
                fetchTimeMs <= 0 ? 0.0 : 1000.0 * (read - lastRead) / fetchTimeMs);
        out.flush();
    }

    /** Adds the time from losing every partition (or from the start) to getting some back to the join time. */
    private final class JoinTimer implements ConsumerRebalanceListener {
        private final Set<TopicPartition> assigned = new HashSet<>();
        private long joinStartMs;

        JoinTimer(long startMs) {
            this.joinStartMs = startMs;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
            if (assigned.isEmpty()) {
                joinStartMs = System.currentTimeMillis();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (assigned.isEmpty()) {
                long elapsed = System.currentTimeMillis() - joinStartMs;
                joinTimeMs += elapsed;
                joinTimeMsInRound += elapsed;
            }
            assigned.addAll(partitions);
        }
    }
}
