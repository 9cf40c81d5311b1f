package io.runnel.it.tools;

import io.runnel.it.Futures;
import io.runnel.it.RawConnection;
import io.runnel.it.RunnelCluster;
import io.runnel.it.wire.RawRequests;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.runnel.it.tools.EventLines.field;
import static io.runnel.it.tools.EventLines.longField;
import static io.runnel.it.tools.EventLines.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client test tools of the Kafka course (verifiable producer and consumer, producer and consumer perf tests,
 * broker-api-versions), each run as a separate process against a Runnel broker, judged by their output lines.
 */
class ClientTestToolsTest {
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);

    static RunnelCluster cluster;
    static Admin admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder().start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyOffsetTheVerifiableProducerAckedIsConsumedByTheVerifiableConsumer() throws Exception {
        String topic = "verified";
        createTopic(topic, 3);
        RunnelCli cli = new RunnelCli(dir);
        RunnelCli.Result produced = cli.run("", "verifiable-producer", "--bootstrap-server", cluster.bootstrapServers(),
                "--topic", topic, "--max-messages", "300", "--acks", "-1", "--repeating-keys", "7", "--value-prefix", "4");
        assertEquals(0, produced.exitCode(), produced.err());
        List<String> lines = produced.out().lines().toList();
        assertEquals("startup_complete", field(lines.get(0), "name"), produced.out());
        assertEquals(List.of("shutdown_complete", "tool_data"),
                lines.subList(lines.size() - 2, lines.size()).stream().map(l -> field(l, "name")).toList());
        String toolData = lines.get(lines.size() - 1);
        assertEquals(300, longField(toolData, "sent"));
        assertEquals(300, longField(toolData, "acked"));
        assertEquals(-1, longField(toolData, "target_throughput"));
        List<String> acks = named(produced.out(), "producer_send_success");
        assertEquals(300, acks.size(), produced.out());
        assertTrue(named(produced.out(), "producer_send_error").isEmpty(), produced.out());
        Map<String, String> ackedValues = byPartitionAndOffset(acks);
        assertEquals(300, ackedValues.size(), "every ack names its own offset");
        for (String ack : acks) {
            assertEquals(topic, field(ack, "topic"));
            assertTrue(field(ack, "value").startsWith("4."), ack);
            assertEquals(Long.parseLong(field(ack, "value").substring(2)) % 7, Long.parseLong(field(ack, "key")), ack);
        }

        for (String protocol : List.of("classic", "consumer")) {
            String group = "verifiers-" + protocol;
            RunnelCli.Result consumed = cli.run("", "verifiable-consumer", "--bootstrap-server", cluster.bootstrapServers(),
                    "--topic", topic, "--group-id", group, "--group-protocol", protocol, "--max-messages", "300", "--verbose");
            assertEquals(0, consumed.exitCode(), consumed.err());
            List<String> events = consumed.out().lines().toList();
            assertEquals("startup_complete", field(events.get(0), "name"));
            assertEquals("shutdown_complete", field(events.get(events.size() - 1), "name"), consumed.out());
            String assigned = named(consumed.out(), "partitions_assigned").get(0);
            assertEquals(3, assigned.split("\"partition\":", -1).length - 1, assigned);

            assertEquals(ackedValues, byPartitionAndOffset(named(consumed.out(), "record_data")), protocol);
            assertEquals(300, named(consumed.out(), "records_consumed").stream()
                    .mapToLong(ClientTestToolsTest::partitionCounts).sum());
            List<String> commits = named(consumed.out(), "offsets_committed");
            assertTrue(commits.stream().allMatch(c -> "true".equals(field(c, "success"))), consumed.out());
            // the group's committed offsets are the log end offsets: every record was consumed and committed
            Map<TopicPartition, OffsetAndMetadata> committed = Futures.get(
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
            Map<TopicPartition, Long> ends = endOffsets(topic, 3);
            assertEquals(ends, committed.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset())), protocol);
        }
    }

    @Test
    void bothVerifiableToolsReportAndExitCleanlyOnSigterm() throws Exception {
        String topic = "endless";
        createTopic(topic, 2);
        RunnelCli cli = new RunnelCli(dir);
        RunnelCli.Running producer = cli.start("", "verifiable-producer", "--bootstrap-server",
                cluster.bootstrapServers(), "--topic", topic, "--throughput", "200");
        assertTrue(RunnelCli.awaitLine(producer, "{\"timestamp\":", LINE_TIMEOUT));
        awaitEvents(producer, "producer_send_success", 20);
        RunnelCli.Running consumer = cli.start("", "verifiable-consumer", "--bootstrap-server",
                cluster.bootstrapServers(), "--topic", topic, "--group-id", "endless-readers", "--enable-autocommit");
        awaitEvents(consumer, "records_consumed", 2);

        assertEquals(0, producer.terminate(), "a clean stop; stderr: " + producer.err());
        List<String> produced = producer.out().lines().toList();
        assertEquals("shutdown_complete", field(produced.get(produced.size() - 2), "name"), producer.out());
        String toolData = produced.get(produced.size() - 1);
        assertEquals("tool_data", field(toolData, "name"));
        assertEquals(named(producer.out(), "producer_send_success").size(), longField(toolData, "acked"));
        assertEquals(longField(toolData, "sent"), longField(toolData, "acked"), "every record sent was acknowledged");
        assertEquals(200, longField(toolData, "target_throughput"));

        assertEquals(0, consumer.terminate(), consumer.err());
        List<String> events = consumer.out().lines().map(l -> field(l, "name")).toList();
        assertEquals("shutdown_complete", events.get(events.size() - 1), consumer.out());
        assertTrue(events.indexOf("shutdown_requested") > events.lastIndexOf("records_consumed"), consumer.out());
        assertTrue(named(consumer.out(), "offsets_committed").isEmpty(), "auto-commit reports no commits");
    }

    @Test
    void thePerfToolsCountTheRecordsTheyProduceAndConsume() throws Exception {
        String topic = "measured";
        createTopic(topic, 2);
        RunnelCli cli = new RunnelCli(dir);
        RunnelCli.Result produced = cli.run("", "producer-perf-test", "--bootstrap-server", cluster.bootstrapServers(),
                "--topic", topic, "--num-records", "20000", "--record-size", "100", "--throughput", "-1",
                "--command-property", "acks=all", "linger.ms=5");
        assertEquals(0, produced.exitCode(), produced.err());
        List<String> summary = produced.out().lines().toList();
        assertTrue(summary.get(summary.size() - 1).matches("20000 records sent, [\\d.]+ records/sec \\([\\d.]+ MB/sec\\), "
                + "[\\d.]+ ms avg latency, [\\d.]+ ms max latency, \\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, \\d+ ms 99\\.9th\\."),
                produced.out());

        RunnelCli.Result consumed = cli.run("", "consumer-perf-test", "--bootstrap-server", cluster.bootstrapServers(),
                "--topic", topic, "--num-records", "20000", "--timeout", "30000", "--group", "perf-readers",
                "--command-property", "client.id=perf-reader");
        assertEquals(0, consumed.exitCode(), consumed.err());
        List<String> csv = consumed.out().lines().toList();
        assertEquals(2, csv.size(), consumed.out());
        assertEquals("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
                + "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", csv.get(0));
        String[] figures = csv.get(1).split(", ");
        assertEquals(10, figures.length, csv.get(1));
        assertEquals("20000", figures[4]);
        // 20,000 values of 100 bytes, no keys
        assertEquals(String.format("%.4f", 20_000 * 100 / (1024.0 * 1024.0)), figures[2]);

        // an interval of 1 ms: a progress line for every poll after the first, and no header nor summary line
        RunnelCli.Result detailed = cli.run("", "consumer-perf-test", "--bootstrap-server", cluster.bootstrapServers(),
                "--topic", topic, "--messages", "500", "--hide-header", "--show-detailed-stats",
                "--reporting-interval", "1");
        assertEquals(0, detailed.exitCode(), detailed.err());
        List<String> progress = detailed.out().lines().toList();
        assertTrue(!progress.isEmpty(), detailed.err());
        for (String line : progress) {
            String[] fields = line.split(", ");
            assertEquals(10, fields.length, line);
            assertEquals("0", fields[1], line);
            assertTrue(Long.parseLong(fields[4]) > 0 && Long.parseLong(fields[4]) <= 500, line);
        }
    }

    @Test
    void brokerApiVersionsListsExactlyWhatTheBrokerAdvertises() throws Exception {
        ApiVersionsResponseData advertised;
        try (RawConnection connection = new RawConnection(cluster.bootstrapServers())) {
            connection.sendFrame(RawRequests.apiVersions(1, RawRequests.API_VERSIONS_VERSION));
            advertised = RawRequests.apiVersionsResponse(connection.receiveFrame(), 1, RawRequests.API_VERSIONS_VERSION);
        }
        RunnelCli.Result result = new RunnelCli(dir).run("", "broker-api-versions", "--bootstrap-server",
                cluster.bootstrapServers());
        assertEquals(0, result.exitCode(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(cluster.bootstrapServers() + " (id: " + cluster.nodeIds().get(0) + " rack: null isFenced: false) -> (",
                lines.get(0));
        assertEquals(")", lines.get(lines.size() - 1));
        List<String> apis = lines.subList(1, lines.size() - 1).stream()
                .map(l -> l.endsWith(",") ? l.substring(0, l.length() - 1) : l).toList();
        List<String> expected = new ArrayList<>();
        for (ApiVersion version : advertised.apiKeys()) {
            ApiKeys key = ApiKeys.forId(version.apiKey());
            String range = version.minVersion() == version.maxVersion() ? Short.toString(version.minVersion())
                    : version.minVersion() + " to " + version.maxVersion();
            expected.add("\t" + key.name + "(" + key.id + "): " + range + " [usable: "
                    + Math.min(key.latestVersion(), version.maxVersion()) + "]");
        }
        List<String> listed = apis.stream().filter(l -> !l.endsWith("UNSUPPORTED")).toList();
        assertEquals(expected.stream().sorted().toList(), listed.stream().sorted().toList());
        // every other API this client knows is marked unsupported, not left out
        assertEquals(ApiKeys.clientApis().size(), apis.size() - listed.size() + listed.stream()
                .filter(l -> ApiKeys.clientApis().stream().anyMatch(k -> l.startsWith("\t" + k.name + "("))).count());
    }

    private static void createTopic(String topic, int partitions) {
        Futures.get(admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all());
    }

    private static Map<TopicPartition, Long> endOffsets(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return Futures.get(admin.listOffsets(request).all()).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Map<String, String> byPartitionAndOffset(List<String> events) {
        return events.stream().collect(Collectors.toMap(e -> field(e, "partition") + "@" + field(e, "offset"),
                e -> field(e, "value"), (a, b) -> a + "|" + b));
    }

    private static long partitionCounts(String recordsConsumed) {
        String partitions = recordsConsumed.substring(recordsConsumed.indexOf("\"partitions\":"));
        return java.util.Arrays.stream(partitions.split("\"count\":")).skip(1)
                .mapToLong(s -> Long.parseLong(s.substring(0, s.indexOf(',')))).sum();
    }

    private static void awaitEvents(RunnelCli.Running running, String name, int count) {
        io.runnel.it.Await.awaitCondition(LINE_TIMEOUT,
                () -> named(running.out(), name).size() >= count || !running.process.isAlive(),
                count + " " + name + " events");
        assertTrue(running.process.isAlive(), running.err());
    }
}
