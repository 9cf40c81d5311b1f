package io.runnel.it.compat;

import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * librdkafka (through Debian's kcat, which .ci/run installs) against Runnel: the API versions a
 * librdkafka 2.x client sends, its compression codecs, records crossing between it and kafka-clients, and its
 * offset look-ups by time.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KcatCompatibilityTest {
    private static final int RECORDS = 2_000;
    /** A line of {@code kcat -Q}: "topic [partition]  offset N". */
    private static final Pattern QUERY_ANSWER = Pattern.compile("(\\S+) \\[(\\d+)\\]\\s+offset (-?\\d+)");
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        ClientCommand.requireInstalled("kcat", "apt-get install kcat", "kcat", "-V");
        cluster = RunnelCluster.builder().brokerProperty("auto.create.topics.enable", "true").start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void listsBrokersAndTopics() throws Exception {
        cluster.createTopic("kcat-listed", 3);
        String metadata = kcat(null, "-L");
        assertTrue(metadata.contains("1 brokers:"), metadata);
        assertTrue(metadata.contains("topic \"kcat-listed\" with 3 partitions"), metadata);
        assertTrue(metadata.contains("partition 2, leader 1, replicas: 1, isrs: 1"), metadata);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void kcatProducesWhatKafkaClientsConsume(String codec) throws Exception {
        String topic = "from-kcat-" + codec;
        cluster.createTopic(topic, 2);
        String lines = IntStream.range(0, RECORDS).mapToObj(i -> "key" + i + ":value" + i)
                .collect(Collectors.joining("\n", "", "\n"));
        kcat(lines, "-P", "-t", topic, "-K:", "-z", codec, "-H", "origin=kcat", "-X", "acks=all");

        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            TopicReader.readAll(consumer, TopicReader.partitions(topic, 2), Duration.ofSeconds(60), records::add);
        }
        assertEquals(RECORDS, records.size());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertEquals("value" + key.substring(3), new String(r.value(), StandardCharsets.UTF_8));
            assertEquals("kcat", new String(r.headers().lastHeader("origin").value(), StandardCharsets.UTF_8));
        }
    }

    /** {@code -Q -t topic:partition:time}, with -1 for the end offset and -2 for the beginning. */
    @Test
    void queriesOffsets() throws Exception {
        ClientScenario scenario = new ClientScenario("kcat-queried");
        cluster.createTopic(scenario.topic, ClientScenario.PARTITIONS);
        scenario.produce(cluster);
        List<String> report = new ArrayList<>();
        report.addAll(query(scenario, -2, "beginning"));
        report.addAll(query(scenario, -1, "end"));
        for (int i = 0; i <= ClientScenario.RECORDS; i++) {
            report.addAll(query(scenario, scenario.queryTime(i), "time " + i));
        }
        DriverReport answers = new DriverReport(report);
        scenario.assertBeginningAndEndOffsets(answers);
        scenario.assertOffsetsForTimes(answers, p -> -1);
    }

    /** One {@code kcat -Q} for every partition at {@code time}, its answers as report lines "label p offset". */
    private static List<String> query(ClientScenario scenario, long time, String label) throws Exception {
        List<String> args = new ArrayList<>(List.of("-Q"));
        for (int p = 0; p < ClientScenario.PARTITIONS; p++) {
            args.addAll(List.of("-t", scenario.topic + ":" + p + ":" + time));
        }
        String out = kcat(null, args.toArray(String[]::new));
        List<String> lines = new ArrayList<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            Matcher m = QUERY_ANSWER.matcher(line.strip());
            assertTrue(m.matches() && m.group(1).equals(scenario.topic), "kcat -Q answered: " + out);
            lines.add(label + " " + m.group(2) + " " + m.group(3));
        }
        return lines;
    }

    @Test
    void kcatConsumesWhatKafkaClientsProduce() throws Exception {
        String topic = "from-kafka-clients";
        cluster.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < RECORDS; i++) {
                // One batch per record, each ~70 bytes: a 100-byte fetch limit ends inside the second one.
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("v" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        String out = kcat(null, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%o %k=%s\\n",
                "-X", "fetch.message.max.bytes=100");
        List<String> lines = out.lines().toList();
        assertEquals(RECORDS, lines.size(), out);
        for (int i = 0; i < RECORDS; i++) {
            assertEquals(i + " k" + i + "=v" + i, lines.get(i));
        }
    }

    /** Runs kcat against the cluster, feeding {@code stdin} if given; fails on a non-zero exit. */
    private static String kcat(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", cluster.bootstrapServers()));
        command.addAll(List.of(args));
        return ClientCommand.run(stdin, command);
    }
}
