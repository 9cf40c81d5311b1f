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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * librdkafka (through Debian's kcat, which .ci/run installs) against Runnel: the API versions a
 * librdkafka 2.x client sends, its compression codecs, and records crossing between it and kafka-clients.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KcatCompatibilityTest {
    private static final int RECORDS = 2_000;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(kcatInstalled(), "kcat is not installed (.ci/run installs it)");
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

    @Test
    void kcatConsumesWhatKafkaClientsProduce() throws Exception {
        String topic = "from-kafka-clients";
        cluster.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        String out = kcat(null, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%o %k=%s\\n");
        List<String> lines = out.lines().toList();
        assertEquals(RECORDS, lines.size(), out);
        for (int i = 0; i < RECORDS; i++) {
            assertEquals(i + " k" + i + "=v" + i, lines.get(i));
        }
    }

    private static boolean kcatInstalled() {
        try {
            return new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs kcat against the cluster, feeding {@code stdin} if given; fails on a non-zero exit. */
    private static String kcat(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", cluster.bootstrapServers()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("kcat", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kcat did not finish: " + command);
            String output = Files.readString(out);
            assertEquals(0, process.exitValue(), "kcat failed: " + command + "\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
