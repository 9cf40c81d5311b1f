package io.runnel.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flags of the verifiable and performance tools and of broker-api-versions, as Kafka 4.4's scripts take them. */
class ClientTestToolsParsingTest {
    private static final String SERVER = "127.0.0.1:1";

    @TempDir
    Path dir;

    private static void assertUsageError(CliResult result, String message) {
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.err().contains(message), result.err());
        assertEquals("", result.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"verifiable-producer", "verifiable-consumer", "producer-perf-test", "consumer-perf-test",
        "broker-api-versions"})
    void everyToolHasHelpAndIsListed(String tool) {
        CliResult help = CliResult.run(tool, "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().startsWith("Usage: runnel " + tool), help.out());
        assertTrue(CliResult.run("--help").out().contains(tool));
    }

    @Test
    void verifiableProducerChecksItsFlags() {
        assertUsageError(CliResult.run("verifiable-producer", "--bootstrap-server", SERVER), "--topic");
        assertUsageError(CliResult.run("verifiable-producer", "--topic", "t"), "--bootstrap-server");
        assertUsageError(CliResult.run("verifiable-producer", "--bootstrap-server", SERVER, "--topic", "t",
                "--acks", "2"), "Invalid value '2' for --acks");
        assertUsageError(CliResult.run("verifiable-producer", "--bootstrap-server", SERVER, "--topic", "t",
                "--producer.config", "a.properties", "--command-config", "b.properties"), "mutually exclusive");
    }

    @Test
    void verifiableConsumerChecksItsFlags() {
        assertUsageError(CliResult.run("verifiable-consumer", "--bootstrap-server", SERVER, "--topic", "t"),
                "--group-id");
        assertUsageError(CliResult.run("verifiable-consumer", "--bootstrap-server", SERVER, "--topic", "t",
                "--group-id", "g", "--group-protocol", "eager"), "Invalid value 'eager' for --group-protocol");
        assertUsageError(CliResult.run("verifiable-consumer", "--bootstrap-server", SERVER, "--topic", "t",
                "--group-id", "g", "--group-protocol", "consumer", "--session-timeout", "10000"),
                "--session-timeout is not supported with --group-protocol consumer");
        assertUsageError(CliResult.run("verifiable-consumer", "--bootstrap-server", SERVER, "--topic", "t",
                "--group-id", "g", "--consumer.config", "a", "--command-config", "b"), "mutually exclusive");
    }

    @Test
    void producerPerfTestNeedsExactlyOnePayloadOption() {
        String[] base = {"producer-perf-test", "--bootstrap-server", SERVER, "--topic", "t", "--num-records", "10",
            "--throughput", "-1"};
        assertUsageError(CliResult.run(base), "--record-size");
        assertUsageError(CliResult.run(concat(base, "--record-size", "10", "--payload-monotonic")), "mutually exclusive");
    }

    @Test
    void producerPerfTestChecksItsFlags() {
        String[] base = {"producer-perf-test", "--topic", "t", "--throughput", "-1", "--record-size", "10"};
        assertUsageError(CliResult.run(concat(base, "--bootstrap-server", SERVER, "--num-records", "0")),
                "--num-records should be greater than zero");
        assertUsageError(CliResult.run(concat(base, "--bootstrap-server", SERVER, "--num-records", "10",
                "--warmup-records", "10")), "--warmup-records must be strictly fewer");
        assertUsageError(CliResult.run(concat(base, "--bootstrap-server", SERVER, "--num-records", "10",
                "--key-distribution", "range")), "--record-key-range must be greater than zero");
        assertUsageError(CliResult.run(concat(base, "--bootstrap-server", SERVER, "--num-records", "10",
                "--key-distribution", "zipf", "--record-key-range", "5")), "Invalid value 'zipf' for --key-distribution");
        assertUsageError(CliResult.run(concat(base, "--num-records", "10")), "Either --bootstrap-server or bootstrap.servers");
        assertUsageError(CliResult.run(concat(base, "--bootstrap-server", SERVER, "--num-records", "10",
                "--producer-props", "acks=1", "--command-property", "acks=all")), "mutually exclusive");
    }

    @Test
    void producerPerfTestLayersItsSettings() throws Exception {
        Path config = dir.resolve("producer.properties");
        Files.writeString(config, "bootstrap.servers=from-file:9092\nlinger.ms=1\nacks=0\n");
        ProducerPerfTestCommand command = parse(new ProducerPerfTestCommand(), "--topic", "t", "--num-records", "5",
                "--record-size", "1", "--throughput", "-1", "--command-config", config.toString(),
                "--command-property", "linger.ms=7", "batch.size=32768", "--bootstrap-server", "flag:9092",
                "--transaction-duration-ms", "100");
        Properties props = command.producerProperties();
        assertEquals("flag:9092", props.getProperty("bootstrap.servers"));
        assertEquals("7", props.getProperty("linger.ms"));
        assertEquals("32768", props.getProperty("batch.size"));
        assertEquals("0", props.getProperty("acks"));
        assertEquals("perf-producer-client", props.getProperty("client.id"));
        assertTrue(props.getProperty("transactional.id").startsWith("performance-producer-"), props.toString());

        ProducerPerfTestCommand named = parse(new ProducerPerfTestCommand(), "--topic", "t", "--num-records", "5",
                "--payload-monotonic", "--throughput", "-1", "--producer-props", "bootstrap.servers=old:9092",
                "transactional.id=from-props", "--transactional-id", "from-flag");
        assertEquals("old:9092", named.producerProperties().getProperty("bootstrap.servers"));
        assertEquals("from-flag", named.producerProperties().getProperty("transactional.id"));
    }

    @Test
    void consumerPerfTestChecksItsFlags() {
        assertUsageError(CliResult.run("consumer-perf-test", "--bootstrap-server", SERVER, "--num-records", "5"),
                "Exactly one of --topic or --include");
        assertUsageError(CliResult.run("consumer-perf-test", "--bootstrap-server", SERVER, "--topic", "t",
                "--include", "t.*", "--num-records", "5"), "Exactly one of --topic or --include");
        assertUsageError(CliResult.run("consumer-perf-test", "--bootstrap-server", SERVER, "--topic", "t"),
                "num-records");
        assertUsageError(CliResult.run("consumer-perf-test", "--bootstrap-server", SERVER, "--topic", "t",
                "--num-records", "5", "--messages", "5"), "mutually exclusive");
        assertUsageError(CliResult.run("consumer-perf-test", "--bootstrap-server", SERVER, "--topic", "t",
                "--num-records", "5", "--reporting-interval", "0"), "Reporting interval must be greater than 0.");
    }

    @Test
    void consumerPerfTestTimeoutTakesAnOptionalValue() {
        ConsumerPerfTestCommand bare = parse(new ConsumerPerfTestCommand(), "--bootstrap-server", SERVER, "--topic", "t",
                "--messages", "5", "--timeout");
        assertEquals(10_000, bare.timeoutMs);
        ConsumerPerfTestCommand given = parse(new ConsumerPerfTestCommand(), "--bootstrap-server", SERVER, "--topic", "t",
                "--num-records", "5", "--timeout", "250", "--group", "g");
        assertEquals(250, given.timeoutMs);
        assertEquals("g", given.group);
    }

    @Test
    void brokerApiVersionsNeedsABootstrapServer() {
        assertUsageError(CliResult.run("broker-api-versions"), "--bootstrap-server");
    }

    @Test
    void eventLinesAreJsonObjectsInTheGivenOrder() {
        JsonLine line = new JsonLine().put("name", "records_consumed").put("count", 2)
                .put("partitions", List.of(new JsonLine().put("topic", "t\"1").put("partition", 0)))
                .put("key", null).put("success", true).put("avg", 1.5);
        assertEquals("{\"name\":\"records_consumed\",\"count\":2,\"partitions\":[{\"topic\":\"t\\\"1\",\"partition\":0}],"
                + "\"key\":null,\"success\":true,\"avg\":1.5}", line.toString());
    }

    @Test
    void producerSummaryHasKafkasShape() {
        StringWriter text = new StringWriter();
        ProducerPerfStats stats = new ProducerPerfStats(new PrintWriter(text), 4, 60_000, false);
        long now = System.currentTimeMillis();
        for (int latency : new int[] {4, 1, 3, 2}) {
            stats.record(latency, 100, now);
        }
        stats.printTotal();
        assertTrue(text.toString().matches("4 records sent, [\\d.]+ records/sec \\([\\d.]+ MB/sec\\), 2\\.50 ms avg "
                + "latency, 4\\.00 ms max latency, 3 ms 50th, 4 ms 95th, 4 ms 99th, 4 ms 99\\.9th\\.\\R"), text.toString());
    }

    private static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }

    private static String[] concat(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
