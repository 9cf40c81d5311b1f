package io.runnel.it;

import io.runnel.testkit.FreePorts;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution as a user gets it: {@code runnel-<version>.tar.gz} (built by runnel-dist) unpacked into an empty
 * directory holds one top-level directory with {@code bin/runnel}, {@code config/server.properties}, {@code lib/} and
 * the README; its {@code bin/runnel server}, run where {@code mvn} fails, starts a node without building anything, and
 * the node serves a round trip.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DistributionTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void theUnpackedTarballRunsAServerWithoutMavenThatServesARoundTrip() throws Exception {
        Path tarball;
        try (Stream<Path> built = Files.list(Path.of("../runnel-dist/target"))) {
            tarball = built.filter(p -> p.getFileName().toString().matches("runnel-.*\\.tar\\.gz")).findFirst().orElseThrow();
        }
        Process untar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString())
                .inheritIO().start();
        assertEquals(0, untar.waitFor());
        List<Path> top;
        try (Stream<Path> entries = Files.list(dir)) {
            top = entries.toList();
        }
        assertEquals(1, top.size(), "one top-level directory: " + top);
        Path home = top.get(0);
        assertTrue(Files.isExecutable(home.resolve("bin/runnel")));
        assertTrue(Files.isRegularFile(home.resolve("config/server.properties")));
        assertTrue(Files.isRegularFile(home.resolve("README.md")));
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            assertTrue(jars.anyMatch(j -> j.getFileName().toString().startsWith("runnel-tools-")), "lib/ has the tools");
        }

        // A PATH whose mvn fails: the launcher of a distribution must not build.
        Path noMaven = Files.createDirectories(dir.resolve("no-maven"));
        Path mvn = Files.writeString(noMaven.resolve("mvn"), "#!/bin/sh\necho 'mvn must not run' >&2\nexit 99\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/runnel").toString(), "server"));
        for (String override : List.of(
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "log.dirs=" + dir.resolve("data"),
                "admin.listeners=",
                "schema.registry.listeners=",
                "rest.proxy.listeners=",
                "console.listeners=")) {
            command.addAll(List.of("--override", override));
        }
        Path output = dir.resolve("server.out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", noMaven + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("RUNNEL_HEAP_OPTS", "-Xmx256m");
        server = builder.start();
        Await.awaitCondition(WAIT, () -> read(output).contains("Runnel started") || !server.isAlive(),
                "the server starting");
        assertTrue(read(output).contains("Runnel started"), read(output));

        String bootstrap = "127.0.0.1:" + brokerPort;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("from-the-tarball", "hello")).get(60, TimeUnit.SECONDS);
        }
        TopicPartition tp = new TopicPartition("from-the-tarball", 0);
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            Await.awaitCondition(WAIT, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
                return !read.isEmpty();
            }, "the record read back");
        }
        assertEquals(List.of("hello"), read);
        assertTrue(!read(output).contains("mvn must not run"), read(output));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
