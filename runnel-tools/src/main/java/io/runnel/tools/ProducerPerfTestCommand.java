package io.runnel.tools;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Scanner;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code runnel producer-perf-test}: kafka-producer-perf-test.sh with the options of Kafka 4.4. Sends
 * {@code --num-records} records as fast as allowed and prints Kafka's progress and summary lines.
 */
@Command(name = "producer-perf-test", mixinStandardHelpOptions = true,
        description = "Measure producer throughput and latency.")
final class ProducerPerfTestCommand implements Callable<Integer> {
    static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "performance-producer-";
    static final long DEFAULT_TRANSACTION_DURATION_MS = 3000;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", paramLabel = "BOOTSTRAP-SERVER",
            description = "The server(s) to connect to; overrides bootstrap.servers of the other options.")
    String bootstrapServer;

    @Option(names = "--topic", required = true, description = "Produce records to this topic.")
    String topic;

    @Option(names = "--num-records", required = true, paramLabel = "NUM-RECORDS", description = "Number of records to produce.")
    long numRecords;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Payload payload;

    static final class Payload {
        @Option(names = "--record-size", paramLabel = "RECORD-SIZE", description = "Record size in bytes.")
        Integer recordSize;

        @Option(names = "--payload-file", paramLabel = "PAYLOAD-FILE",
                description = "UTF-8 text file of payloads, one picked at random for each record.")
        Path payloadFile;

        @Option(names = "--payload-monotonic", description = "The payload is an increasing integer.")
        boolean monotonic;
    }

    @Option(names = "--payload-delimiter", defaultValue = "\\n", paramLabel = "PAYLOAD-DELIMITER",
            description = "Delimiter of the payloads in --payload-file (default: new line).")
    String payloadDelimiter;

    @Option(names = "--throughput", required = true, paramLabel = "THROUGHPUT",
            description = "Throttle to about THROUGHPUT records/sec; -1 for no limit.")
    double throughput;

    @Option(names = "--producer-props", arity = "1..*", paramLabel = "PROP-NAME=PROP-VALUE",
            description = "(Deprecated) Producer settings; use --command-property.")
    List<String> producerProps;

    @Option(names = "--command-property", arity = "1..*", paramLabel = "PROP-NAME=PROP-VALUE",
            description = "Producer settings, e.g. linger.ms=10 batch.size=32768; they override the config file's.")
    List<String> commandProperties;

    @Option(names = "--producer.config", paramLabel = "CONFIG-FILE",
            description = "(Deprecated) Producer properties file; use --command-config.")
    Path producerConfig;

    @Option(names = "--command-config", paramLabel = "CONFIG-FILE", description = "Producer properties file.")
    Path commandConfig;

    @Option(names = "--print-metrics", description = "Print the producer's metrics at the end.")
    boolean printMetrics;

    @Option(names = "--transactional-id", paramLabel = "TRANSACTIONAL-ID",
            description = "Produce in transactions with this id (overrides transactional.id of the other options).")
    String transactionalId;

    @Option(names = "--transaction-duration-ms", paramLabel = "TRANSACTION-DURATION",
            description = "Commit each transaction after this long (default 3000 when transactional).")
    Long transactionDurationMs;

    @Option(names = "--warmup-records", defaultValue = "0", paramLabel = "WARMUP-RECORDS",
            description = "Records left out of the steady-state summary printed after the full one (default 0).")
    long warmupRecords;

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "INTERVAL-MS",
            description = "Print progress every INTERVAL-MS (default 5000).")
    long reportingIntervalMs;

    @Option(names = "--record-key-range", paramLabel = "KEY-RANGE",
            description = "Keys are integers in [0, KEY-RANGE); for --key-distribution range or random.")
    Integer keyRange;

    @Option(names = "--key-distribution", defaultValue = "none", paramLabel = "KEY-DISTRIBUTION",
            description = "none (null keys, default), range (round robin) or random.")
    String keyDistribution;

    @Option(names = "--random-seed", defaultValue = "0", paramLabel = "RANDOM-SEED",
            description = "Seed of the random payloads and keys (default 0: the same run every time).")
    long randomSeed;

    @Override
    public Integer call() throws Exception {
        checkArguments();
        PrintWriter out = spec.commandLine().getOut();
        List<byte[]> payloads = readPayloads(out);
        Properties props = producerProperties();
        boolean transactional = props.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            if (transactional) {
                producer.initTransactions();
            }
            if (warmupRecords > 0) {
                out.println("Warmup first " + warmupRecords
                        + " records. Steady state results will print after the complete test summary.");
            }
            ProducerPerfStats stats = new ProducerPerfStats(out, numRecords, reportingIntervalMs, false);
            ProducerPerfStats steady = sendAll(producer, transactional, payloads, stats, out);
            // flush, not close, so that the metrics can still be read after the summary
            producer.flush();
            stats.printTotal();
            if (steady != null) {
                steady.printTotal();
            }
            if (printMetrics) {
                MetricsTable.print(out, producer.metrics());
            }
        }
        return 0;
    }

    /** Sends the records, in transactions if asked; returns the steady-state figures if there is a warm-up. */
    private ProducerPerfStats sendAll(KafkaProducer<byte[], byte[]> producer, boolean transactional, List<byte[]> payloads,
            ProducerPerfStats stats, PrintWriter out) throws InterruptedException {
        long transactionMs = transactionDurationMs != null ? transactionDurationMs : DEFAULT_TRANSACTION_DURATION_MS;
        SplittableRandom random = new SplittableRandom(randomSeed);
        byte[] sized = payload.recordSize != null ? new byte[payload.recordSize] : null;
        Throttle throttle = new Throttle(throughput);
        ProducerPerfStats steady = null;
        long transactionStart = 0;
        boolean inTransaction = false;
        for (long i = 0; i < numRecords; i++) {
            byte[] value = value(i, payloads, sized, random);
            if (transactional && !inTransaction) {
                producer.beginTransaction();
                inTransaction = true;
                transactionStart = System.currentTimeMillis();
            }
            if (warmupRecords > 0 && i == warmupRecords) {
                steady = new ProducerPerfStats(out, numRecords - warmupRecords, reportingIntervalMs, true);
                stats.quiet();
            }
            ProducerPerfStats steadyStats = steady;
            long sendStart = System.currentTimeMillis();
            int bytes = value.length;
            producer.send(new ProducerRecord<>(topic, key(i, random), value), (metadata, error) -> {
                long now = System.currentTimeMillis();
                if (error != null) {
                    spec.commandLine().getErr().println("Error sending a record: " + error);
                    return;
                }
                stats.record((int) (now - sendStart), bytes, now);
                if (steadyStats != null) {
                    steadyStats.record((int) (now - sendStart), bytes, now);
                }
            });
            if (inTransaction && sendStart - transactionStart >= transactionMs) {
                producer.commitTransaction();
                inTransaction = false;
            }
            throttle.awaitTurn(i + 1, () -> false);
        }
        if (inTransaction) {
            producer.commitTransaction();
        }
        return steady;
    }

    private void checkArguments() {
        if (numRecords <= 0) {
            throw new ParameterException(spec.commandLine(), "--num-records should be greater than zero");
        }
        if (warmupRecords >= numRecords) {
            throw new ParameterException(spec.commandLine(), "The value for --warmup-records must be strictly fewer "
                    + "than the number of records in the test, --num-records.");
        }
        if (payload.recordSize != null && payload.recordSize <= 0) {
            throw new ParameterException(spec.commandLine(), "--record-size should be greater than zero");
        }
        if (transactionDurationMs != null && transactionDurationMs <= 0) {
            throw new ParameterException(spec.commandLine(), "--transaction-duration-ms should be greater than zero");
        }
        if (reportingIntervalMs <= 0) {
            throw new ParameterException(spec.commandLine(), "--reporting-interval should be greater than zero");
        }
        if (!List.of("none", "range", "random").contains(keyDistribution)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value '" + keyDistribution + "' for --key-distribution: none, range or random");
        }
        if (!keyDistribution.equals("none") && (keyRange == null || keyRange <= 0)) {
            throw new ParameterException(spec.commandLine(),
                    "--record-key-range must be greater than zero with --key-distribution " + keyDistribution);
        }
    }

    /** The config file, then --command-property, then --bootstrap-server and --transactional-id on top. */
    Properties producerProperties() throws Exception {
        Path file = ClientProperties.renamed(commandConfig, "--command-config", producerConfig, "--producer.config", spec);
        List<String> keyValues = ClientProperties.renamed(commandProperties, "--command-property", producerProps,
                "--producer-props", spec);
        Properties props = ClientProperties.load(file, keyValues != null ? keyValues : List.of(), "--command-property", spec);
        if (bootstrapServer != null) {
            props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        }
        if (!props.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ParameterException(spec.commandLine(), "Either --bootstrap-server or bootstrap.servers in "
                    + "--command-property or --command-config must be specified.");
        }
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "perf-producer-client");
        if (transactionalId != null) {
            props.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        } else if (transactionDurationMs != null) {
            props.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG, DEFAULT_TRANSACTIONAL_ID_PREFIX + Uuid.randomUuid());
        }
        return props;
    }

    private List<byte[]> readPayloads(PrintWriter out) throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        if (payload.payloadFile == null) {
            return payloads;
        }
        Path path = payload.payloadFile;
        out.println("Reading payloads from: " + path.toAbsolutePath());
        if (Files.notExists(path) || Files.size(path) == 0) {
            throw new IllegalArgumentException("File does not exist or empty file provided.");
        }
        String delimiter = payloadDelimiter.equals("\\n") ? "\n" : payloadDelimiter;
        try (Scanner scanner = new Scanner(path, StandardCharsets.UTF_8)) {
            scanner.useDelimiter(delimiter);
            while (scanner.hasNext()) {
                payloads.add(scanner.next().getBytes(StandardCharsets.UTF_8));
            }
        }
        out.println("Number of records read: " + payloads.size());
        return payloads;
    }

    private byte[] value(long i, List<byte[]> payloads, byte[] sized, SplittableRandom random) {
        if (!payloads.isEmpty()) {
            return payloads.get(random.nextInt(payloads.size()));
        }
        if (sized != null) {
            // fresh random letters for every record, so compression sees realistic data
            for (int j = 0; j < sized.length; j++) {
                sized[j] = (byte) (random.nextInt(26) + 'A');
            }
            return sized;
        }
        return Long.toString(i).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] key(long i, SplittableRandom random) {
        return switch (keyDistribution) {
            case "range" -> Long.toString(i % keyRange).getBytes(StandardCharsets.UTF_8);
            case "random" -> Integer.toString(random.nextInt(keyRange)).getBytes(StandardCharsets.UTF_8);
            default -> null;
        };
    }
}
