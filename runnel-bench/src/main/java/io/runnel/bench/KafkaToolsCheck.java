package io.runnel.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs Runnel's client test tools ({@code runnel verifiable-producer}, {@code verifiable-consumer},
 * {@code producer-perf-test}, {@code consumer-perf-test}, {@code broker-api-versions}) against a fresh Apache
 * Kafka 4.4 broker and checks their output, partly against the output of Kafka's own tools on the same broker.
 * Prints one PASS or FAIL line per check and a closing {@code N passed, M failed}; exits 1 on any failure.
 * Usage: {@code KafkaToolsCheck --kafka-classpath-file FILE --runnel-classpath CP [--work-dir DIR]};
 * runnel-bench/tools-check builds and runs it (docs/performance.md).
 */
public final class KafkaToolsCheck {
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(3);
    private static final String RUNNEL_MAIN = "io.runnel.tools.Runnel";
    private static final String KAFKA_TOOLS = "org.apache.kafka.tools.";
    private static final String TOPIC = "tools-check";
    private static final int PARTITIONS = 3;
    private static final int VERIFIED = 500;
    private static final Pattern FIELD = Pattern.compile("\"([^\"]+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|\\[|\\{|[^,}\\]\\[{]+)");
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("(\\d+) records sent, [\\d.]+ records/sec "
            + "\\([\\d.]+ MB/sec\\), [\\d.]+ ms avg latency, [\\d.]+ ms max latency, \\d+ ms 50th, \\d+ ms 95th, "
            + "\\d+ ms 99th, \\d+ ms 99\\.9th\\.");

    private final String kafkaClasspath;
    private final String runnelClasspath;
    private final String bootstrap;
    private int passed;
    private final List<String> failures = new ArrayList<>();

    private KafkaToolsCheck(String kafkaClasspath, String runnelClasspath, String bootstrap) {
        this.kafkaClasspath = kafkaClasspath;
        this.runnelClasspath = runnelClasspath;
        this.bootstrap = bootstrap;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--kafka-classpath-file") || !options.containsKey("--runnel-classpath")) {
            System.err.println("KafkaToolsCheck --kafka-classpath-file FILE --runnel-classpath CP [--work-dir DIR]");
            System.exit(2);
        }
        String kafkaClasspath = Files.readString(Path.of(options.get("--kafka-classpath-file"))).trim();
        Path workDir = Path.of(options.getOrDefault("--work-dir", System.getProperty("java.io.tmpdir")));
        int failed;
        try (BrokerProcess kafka = BrokerProcess.start(BrokerKind.KAFKA, kafkaClasspath, workDir, Map.of())) {
            kafka.createTopic(TOPIC, PARTITIONS);
            KafkaToolsCheck check = new KafkaToolsCheck(kafkaClasspath, options.get("--runnel-classpath"),
                    kafka.bootstrap());
            check.runAll();
            failed = check.failures.size();
            System.out.println(check.passed + " passed, " + failed + " failed");
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private void runAll() throws Exception {
        Map<String, String> acked = check("verifiable-producer: every record acknowledged", this::verifiableProducer);
        if (acked != null) {
            for (String protocol : List.of("classic", "consumer")) {
                check("verifiable-consumer (" + protocol + "): reads every acknowledged offset",
                        () -> verifiableConsumer(protocol, acked));
            }
        }
        check("verifiable tools: the same event fields as Kafka's tools", this::sameEventFields);
        check("producer-perf-test and consumer-perf-test: record counts, with transactions", this::perfTools);
        check("broker-api-versions: the same output as Kafka's tool", this::brokerApiVersions);
    }

    private Map<String, String> verifiableProducer() throws Exception {
        List<String> events = json(runnel("verifiable-producer", "--bootstrap-server", bootstrap, "--topic", TOPIC,
                "--max-messages", Integer.toString(VERIFIED), "--acks", "-1", "--repeating-keys", "10"));
        expect(names(events).get(0).equals("startup_complete"), "first event " + names(events).get(0));
        List<String> last = names(events).subList(events.size() - 2, events.size());
        expect(last.equals(List.of("shutdown_complete", "tool_data")), "last events " + last);
        Map<String, String> toolData = fields(events.get(events.size() - 1));
        expect(toolData.get("sent").equals("" + VERIFIED) && toolData.get("acked").equals("" + VERIFIED),
                "tool_data " + toolData);
        Map<String, String> acked = byPartitionAndOffset(named(events, "producer_send_success"));
        expect(acked.size() == VERIFIED, acked.size() + " distinct acknowledged offsets");
        return acked;
    }

    private Object verifiableConsumer(String protocol, Map<String, String> acked) throws Exception {
        List<String> events = json(runnel("verifiable-consumer", "--bootstrap-server", bootstrap, "--topic", TOPIC,
                "--group-id", "tools-check-" + protocol, "--group-protocol", protocol,
                "--max-messages", Integer.toString(VERIFIED), "--verbose"));
        expect(byPartitionAndOffset(named(events, "record_data")).equals(acked), "records read differ from those acked");
        expect(!named(events, "offsets_committed").isEmpty() && named(events, "offsets_committed").stream()
                .allMatch(e -> "true".equals(fields(e).get("success"))), "offsets_committed not all successful");
        expect(names(events).get(events.size() - 1).equals("shutdown_complete"), "last event not shutdown_complete");
        return null;
    }

    /** For each event name both print, the fields in the same order: ours against Kafka's VerifiableProducer/Consumer. */
    private Object sameEventFields() throws Exception {
        String[] produce = {"--bootstrap-server", bootstrap, "--topic", TOPIC, "--max-messages", "3", "--repeating-keys", "2"};
        compareFields(json(kafka("VerifiableProducer", produce)), json(runnel("verifiable-producer", produce)));
        String[] consume = {"--bootstrap-server", bootstrap, "--topic", TOPIC, "--max-messages", "3", "--verbose"};
        compareFields(json(kafka("VerifiableConsumer", concat(consume, "--group-id", "fields-kafka"))),
                json(runnel("verifiable-consumer", concat(consume, "--group-id", "fields-runnel"))));
        return null;
    }

    private Object perfTools() throws Exception {
        String perfTopic = TOPIC + "-perf";
        List<String> produced = runnel("producer-perf-test", "--bootstrap-server", bootstrap, "--topic", perfTopic,
                "--num-records", "50000", "--record-size", "100", "--throughput", "-1", "--command-property", "acks=all");
        expect(summaryCount(produced) == 50_000, "producer summary: " + JavaProcess.tail(produced));
        List<String> transactional = runnel("producer-perf-test", "--bootstrap-server", bootstrap, "--topic", perfTopic,
                "--num-records", "1000", "--payload-monotonic", "--throughput", "-1", "--transactional-id", "tools-check",
                "--transaction-duration-ms", "100");
        expect(summaryCount(transactional) == 1000, "transactional summary: " + JavaProcess.tail(transactional));

        List<String> theirs = kafka("ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic", perfTopic,
                "--num-records", "1", "--timeout", "30000");
        List<String> ours = runnel("consumer-perf-test", "--bootstrap-server", bootstrap, "--topic", perfTopic,
                "--num-records", "51000", "--timeout", "30000", "--command-property", "isolation.level=read_committed");
        String header = "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
                + "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
        expect(theirs.contains(header) && ours.contains(header), "the CSV header differs: " + ours);
        String[] figures = ours.get(ours.indexOf(header) + 1).split(", ");
        expect(figures.length == 10 && figures[4].equals("51000"), "consumed " + String.join(", ", figures));
        return null;
    }

    private Object brokerApiVersions() throws Exception {
        List<String> theirs = apiVersionLines(kafka("BrokerApiVersionsCommand", "--bootstrap-server", bootstrap));
        List<String> ours = apiVersionLines(runnel("broker-api-versions", "--bootstrap-server", bootstrap));
        expect(theirs.size() > 2 && theirs.equals(ours), "differs:\nKafka's:\n" + String.join("\n", theirs)
                + "\nours:\n" + String.join("\n", ours));
        return null;
    }

    private void compareFields(List<String> kafkaEvents, List<String> runnelEvents) {
        Map<String, List<String>> expected = fieldsByName(kafkaEvents);
        Map<String, List<String>> actual = fieldsByName(runnelEvents);
        for (Map.Entry<String, List<String>> event : expected.entrySet()) {
            if (actual.containsKey(event.getKey())) {
                expect(event.getValue().equals(actual.get(event.getKey())),
                        event.getKey() + ": Kafka's fields " + event.getValue() + ", ours " + actual.get(event.getKey()));
            }
        }
        expect(actual.keySet().containsAll(expected.keySet().stream().filter(n -> !n.equals("shutdown_requested")).toList()),
                "events Kafka's tool printed and ours did not: " + expected.keySet() + " vs " + actual.keySet());
    }

    private static Map<String, List<String>> fieldsByName(List<String> events) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (String event : events) {
            byName.putIfAbsent(fields(event).get("name"), new ArrayList<>(fields(event).keySet()));
        }
        return byName;
    }

    private static int summaryCount(List<String> output) {
        return output.stream().map(PRODUCER_SUMMARY::matcher).filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).reduce((a, b) -> b).orElse(-1);
    }

    private static List<String> apiVersionLines(List<String> output) {
        return output.stream().filter(l -> l.contains(" -> (") || l.startsWith("\t") || l.equals(")")).toList();
    }

    private <T> T check(String name, CheckedSupplier<T> body) {
        try {
            T result = body.get();
            passed++;
            System.out.println("PASS " + name);
            return result;
        } catch (Exception | AssertionError e) {
            failures.add(name);
            System.out.println("FAIL " + name + ": " + e.getMessage());
            return null;
        }
    }

    private List<String> runnel(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool));
        command.addAll(List.of(args));
        return JavaProcess.run(JavaProcess.TOOL_JVM, runnelClasspath, RUNNEL_MAIN, command, TOOL_TIMEOUT);
    }

    private List<String> kafka(String tool, String... args) throws Exception {
        return JavaProcess.run(JavaProcess.TOOL_JVM, kafkaClasspath, KAFKA_TOOLS + tool, List.of(args), TOOL_TIMEOUT);
    }

    private static List<String> json(List<String> output) {
        return output.stream().filter(l -> l.startsWith("{")).toList();
    }

    private static List<String> names(List<String> events) {
        return events.stream().map(e -> fields(e).get("name")).toList();
    }

    private static List<String> named(List<String> events, String name) {
        return events.stream().filter(e -> name.equals(fields(e).get("name"))).toList();
    }

    /** The top-level and nested fields of an event line, in order, the first value of each name. */
    private static Map<String, String> fields(String event) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(event);
        while (m.find()) {
            String value = m.group(2);
            fields.putIfAbsent(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        return fields;
    }

    private static Map<String, String> byPartitionAndOffset(List<String> events) {
        return events.stream().map(KafkaToolsCheck::fields).collect(Collectors.toMap(
                f -> f.get("partition") + "@" + f.get("offset"), f -> f.get("value"), (a, b) -> a + "|" + b));
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @FunctionalInterface
    private interface CheckedSupplier<T> {
        T get() throws Exception;
    }
}
