package io.runnel.it.configs;

import static io.runnel.it.Futures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import io.runnel.tools.Runnel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runnel configs, topics --alter --config, get-offsets and delete-records through the CLI's entry point. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigToolsTest {
    private RunnelCluster cluster;

    @TempDir
    Path dir;

    /** The cluster this suite runs on; a subclass runs the same tests on another shape. */
    ClusterShape shape() {
        return ClusterShape.ONE_NODE;
    }

    @BeforeAll
    void start() throws Exception {
        cluster = shape().builder().start();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result runnel(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Runnel.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String ok(String... args) {
        Result result = runnel(args);
        assertEquals(0, result.exitCode(), "runnel " + String.join(" ", args) + ": " + result.err());
        return result.out();
    }

    private String[] withBootstrap(String tool, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = tool;
        all[1] = "--bootstrap-server";
        all[2] = cluster.bootstrapServers();
        System.arraycopy(args, 0, all, 3, args.length);
        return all;
    }

    @Test
    void configsDescribesAndAltersTopicsAsKafkaConfigsDoes() {
        cluster.createTopic("positions", 1);

        assertEquals("Completed updating config for topic positions.\n", ok(withBootstrap("configs",
                "--entity-type", "topics", "--entity-name", "positions", "--alter",
                "--add-config", "retention.ms=-1,cleanup.policy=[compact,delete]")));
        assertEquals("Dynamic configs for topic positions are:\n"
                + "  cleanup.policy=compact,delete sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact,delete, "
                + "DEFAULT_CONFIG:log.cleanup.policy=delete}\n"
                + "  retention.ms=-1 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=-1, "
                + "DEFAULT_CONFIG:log.retention.hours=168}\n",
                ok(withBootstrap("configs", "--entity-type", "topics", "--entity-name", "positions", "--describe")));

        ok(withBootstrap("configs", "--entity-type", "topics", "--entity-name", "positions", "--alter",
                "--delete-config", "retention.ms"));
        String after = ok(withBootstrap("configs", "--entity-type", "topics", "--entity-name", "positions", "--describe"));
        assertTrue(!after.contains("retention.ms") && after.contains("cleanup.policy=compact,delete"), after);

        String all = ok(withBootstrap("configs", "--entity-type", "topics", "--entity-name", "positions", "--describe", "--all"));
        assertTrue(all.startsWith("All configs for topic positions are:\n"), all);
        assertTrue(all.contains("\n  segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes=1073741824}\n"), all);

        Result missing = runnel(withBootstrap("configs", "--entity-type", "topics", "--entity-name", "positions",
                "--alter", "--delete-config", "retention.ms"));
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("Invalid config(s): retention.ms"), missing.err());

        Result invalid = runnel(withBootstrap("configs", "--entity-type", "topics", "--entity-name", "positions",
                "--alter", "--add-config", "segment.bytes=10"));
        assertEquals(1, invalid.exitCode());
        assertTrue(invalid.err().contains("segment.bytes"), invalid.err());
    }

    @Test
    void configsSetsDescribesAndRemovesTheClientQuotasOfUsersClientsAndTheirDefaults() {
        assertEquals("Completed updating config for user quota-alice.\n", ok(withBootstrap("configs",
                "--entity-type", "users", "--entity-name", "quota-alice", "--alter",
                "--add-config", "producer_byte_rate=1024,consumer_byte_rate=2048")));
        assertEquals("Completed updating config for the default client.\n", ok(withBootstrap("configs",
                "--entity-type", "clients", "--entity-default", "--alter", "--add-config", "request_percentage=25")));
        assertEquals("Completed updating config for user quota-alice, client reporting.\n", ok(withBootstrap("configs",
                "--entity-type", "users", "--entity-name", "quota-alice", "--entity-type", "clients",
                "--entity-name", "reporting", "--alter", "--add-config", "consumer_byte_rate=512")));

        awaitOutput("Quota configs for user-principal 'quota-alice' are consumer_byte_rate=2048.0, "
                + "producer_byte_rate=1024.0\n", "configs", "--entity-type", "users", "--entity-name", "quota-alice",
                "--describe");
        awaitOutput("Quota configs for the default client-id are request_percentage=25.0\n",
                "configs", "--entity-type", "clients", "--entity-default", "--describe");
        awaitOutput("Quota configs for user-principal 'quota-alice', client-id 'reporting' are consumer_byte_rate=512.0\n",
                "configs", "--entity-type", "users", "--entity-name", "quota-alice", "--entity-type", "clients",
                "--entity-name", "reporting", "--describe");

        ok(withBootstrap("configs", "--entity-type", "users", "--entity-name", "quota-alice", "--alter",
                "--delete-config", "producer_byte_rate"));
        awaitOutput("Quota configs for user-principal 'quota-alice' are consumer_byte_rate=2048.0\n",
                "configs", "--entity-type", "users", "--entity-name", "quota-alice", "--describe");

        Result unknown = runnel(withBootstrap("configs", "--entity-type", "clients", "--entity-name", "reporting",
                "--alter", "--add-config", "fetch_rate=1"));
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("Only client quotas (producer_byte_rate, consumer_byte_rate, "
                + "request_percentage, controller_mutation_rate) can be set here"), unknown.err());
        Result fraction = runnel(withBootstrap("configs", "--entity-type", "clients", "--entity-name", "reporting",
                "--alter", "--add-config", "producer_byte_rate=1.5"));
        assertEquals(1, fraction.exitCode());
        assertTrue(fraction.err().contains("Configuration producer_byte_rate must be a Long value"), fraction.err());
    }

    @Test
    void clientQuotasAltersAndDescribesAnEntityNamedByItsOptions() {
        assertEquals("Completed updating the quotas of user-principal 'quota-bob', the default client-id.\n",
                ok(withBootstrap("client-quotas", "--alter", "--user", "quota-bob", "--client-id-default",
                        "--add-config", "producer_byte_rate=4096,request_percentage=50")));
        awaitOutput("Quota configs for user-principal 'quota-bob', the default client-id are "
                + "producer_byte_rate=4096.0, request_percentage=50.0\n",
                "client-quotas", "--describe", "--user", "quota-bob", "--client-id-default");
        ok(withBootstrap("client-quotas", "--alter", "--user", "quota-bob", "--client-id-default",
                "--delete-config", "producer_byte_rate,request_percentage"));
        awaitOutput("", "client-quotas", "--describe", "--user", "quota-bob", "--client-id-default");
    }

    /** Runs the tool until it prints {@code expected}: the broker asked may not have the latest metadata yet. */
    private void awaitOutput(String expected, String tool, String... args) {
        Await.awaitCondition(Duration.ofSeconds(30), () -> expected.equals(ok(withBootstrap(tool, args))),
                "runnel " + tool + " " + String.join(" ", args) + " prints " + expected);
    }

    @Test
    void configsAltersTheClusterWideBrokerDefault() {
        assertEquals("Completed updating default config for brokers in the cluster.\n", ok(withBootstrap("configs",
                "--entity-type", "brokers", "--entity-default", "--alter", "--add-config", "log.retention.ms=5000")));
        try {
            assertEquals("Default configs for brokers in the cluster are:\n"
                    + "  log.retention.ms=5000 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=5000}\n",
                    ok(withBootstrap("configs", "--entity-type", "brokers", "--entity-default", "--describe")));
            String broker = Integer.toString(cluster.nodeIds().get(0));
            assertEquals("Dynamic configs for broker " + broker + " are:\n", ok(withBootstrap("configs",
                    "--entity-type", "brokers", "--entity-name", broker, "--describe")));
        } finally {
            ok(withBootstrap("configs", "--entity-type", "brokers", "--entity-default", "--alter",
                    "--delete-config", "log.retention.ms"));
        }
    }

    @Test
    void topicsAlterConfigWorksAsInTheCourse() {
        cluster.createTopic("course", 1);
        assertEquals("Updated config for topic course.\n", ok(withBootstrap("topics", "--alter", "--topic", "course",
                "--config", "retention.ms=60000", "--config", "max.message.bytes=2000")));
        String described = ok(withBootstrap("topics", "--describe", "--topic", "course"));
        assertTrue(described.contains("Configs: max.message.bytes=2000,retention.ms=60000")
                || described.contains("Configs: retention.ms=60000,max.message.bytes=2000"), described);
        ok(withBootstrap("topics", "--alter", "--topic", "course", "--delete-config", "retention.ms"));
        assertTrue(ok(withBootstrap("topics", "--describe", "--topic", "course")).contains("Configs: max.message.bytes=2000\n"));
    }

    @Test
    void getOffsetsAndDeleteRecords() throws Exception {
        cluster.createTopic("offsets", 2);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < 5; i++) {
                get(producer.send(new ProducerRecord<>("offsets", 0, 1_000L + i, null, new byte[1])));
            }
            for (int i = 0; i < 3; i++) {
                get(producer.send(new ProducerRecord<>("offsets", 1, 2_000L + i, null, new byte[1])));
            }
        }
        assertEquals("offsets:0:5\noffsets:1:3\n", ok(withBootstrap("get-offsets", "--topic", "offsets")));
        assertEquals("offsets:0:0\noffsets:1:0\n", ok(withBootstrap("get-offsets", "--topic", "offsets", "--time", "-2")));
        assertEquals("offsets:1:3\n", ok(withBootstrap("get-offsets", "--topic", "offsets", "--partitions", "1")));
        assertEquals("offsets:0:3\noffsets:1:0\n", ok(withBootstrap("get-offsets", "--topic", "offsets", "--time", "1003")));
        assertEquals("offsets:1:2\n", ok(withBootstrap("get-offsets", "--topic", "offsets", "--time", "2002")),
                "a partition without a record at or after the time is not printed");

        Path json = dir.resolve("offsets.json");
        Files.writeString(json, "{\"partitions\": [{\"topic\": \"offsets\", \"partition\": 0, \"offset\": 3}], \"version\": 1}");
        assertEquals("Executing records delete operation\nRecords delete operation completed:\n"
                + "partition: offsets-0\tlow_watermark: 3\n",
                ok(withBootstrap("delete-records", "--offset-json-file", json.toString())));
        assertEquals("offsets:0:3\noffsets:1:0\n", ok(withBootstrap("get-offsets", "--topic", "offsets", "--time", "earliest")));

        Files.writeString(json, "{\"partitions\": [{\"topic\": \"offsets\", \"partition\": 1, \"offset\": 9}], \"version\": 1}");
        String outOfRange = ok(withBootstrap("delete-records", "--offset-json-file", json.toString()));
        assertTrue(outOfRange.contains("partition: offsets-1\terror: "), outOfRange);

        Result unknown = runnel(withBootstrap("get-offsets", "--topic", "no-such-topic"));
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("Could not match any topic-partitions"), unknown.err());
    }
}
