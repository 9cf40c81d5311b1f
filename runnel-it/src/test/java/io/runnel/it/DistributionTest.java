package io.runnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.it.connect.GreetingSourceConnector;
import io.runnel.it.connect.GreetingSourceTask;
import io.runnel.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as a user gets it: {@code runnel-<version>.tar.gz} (built by runnel-dist) unpacked into an empty
 * directory holds one top-level directory with {@code bin/runnel}, {@code config/server.properties}, {@code lib/} and
 * the README; its {@code bin/runnel server}, run where {@code mvn} fails, starts a node without building anything, the
 * node serves a round trip, and the distribution's {@code bin/runnel connect-standalone} runs the course's
 * FileStreamSource example and a user's connector installed in {@code plugin.path} against it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributionTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    private Path home;
    private Path noMaven;
    private String bootstrap;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    void unpackAndStartAServer() throws Exception {
        Path tarball;
        try (Stream<Path> built = Files.list(Path.of("../runnel-dist/target"))) {
            tarball = built.filter(p -> p.getFileName().toString().matches("runnel-.*\\.tar\\.gz")).findFirst().orElseThrow();
        }
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        Process untar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString())
                .inheritIO().start();
        assertEquals(0, untar.waitFor());
        List<Path> top;
        try (Stream<Path> entries = Files.list(unpacked)) {
            top = entries.toList();
        }
        assertEquals(1, top.size(), "one top-level directory: " + top);
        home = top.get(0);
        assertTrue(Files.isExecutable(home.resolve("bin/runnel")));
        assertTrue(Files.isRegularFile(home.resolve("config/server.properties")));
        assertTrue(Files.isRegularFile(home.resolve("README.md")));
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            assertTrue(jars.anyMatch(j -> j.getFileName().toString().startsWith("runnel-tools-")), "lib/ has the tools");
        }

        // A PATH whose mvn fails: the launcher of a distribution must not build.
        noMaven = Files.createDirectories(dir.resolve("no-maven"));
        Path mvn = Files.writeString(noMaven.resolve("mvn"), "#!/bin/sh\necho 'mvn must not run' >&2\nexit 99\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        List<String> command = new ArrayList<>(List.of("server"));
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
        Process server = runnel(output, command);
        Await.awaitCondition(WAIT, () -> read(output).contains("Runnel started") || !server.isAlive(),
                "the server starting");
        assertTrue(read(output).contains("Runnel started"), read(output));
        bootstrap = "127.0.0.1:" + brokerPort;
    }

    @AfterAll
    void stop() throws InterruptedException {
        // The workers first, then the server they write to.
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theUnpackedTarballRunsAServerWithoutMavenThatServesARoundTrip() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("from-the-tarball", "hello")).get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of("hello"), values("from-the-tarball", 1));
        assertTrue(!read(dir.resolve("server.out")).contains("mvn must not run"), read(dir.resolve("server.out")));
    }

    @Test
    void theTarballsConnectStandaloneRunsTheCourseExampleAndAPluginFromPluginPath() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        installGreetingPlugin(Files.createDirectories(plugins.resolve("greetings")));
        Path file = Files.writeString(dir.resolve("test.txt"), "first line\nsecond line\n");
        Path worker = edited("connect-standalone.properties", Map.of(
                "bootstrap.servers", bootstrap,
                "offset.storage.file.filename", dir.resolve("connect.offsets").toString(),
                "listeners", "http://127.0.0.1:" + FreePorts.pick(),
                "plugin.path", plugins.toString()));
        Path fileSource = edited("connect-file-source.properties", Map.of("file", file.toString()));
        Path greetings = Files.writeString(dir.resolve("greetings.properties"), String.join("\n",
                "name=greetings", "connector.class=" + GreetingSourceConnector.class.getName(), "tasks.max=1",
                "topic=greetings", "count=3", ""));
        Path output = dir.resolve("connect.out");
        runnel(output, List.of("connect-standalone", worker.toString(), fileSource.toString(), greetings.toString()));

        String shaped = "{\"line\":\"%s\",\"data_source\":\"test-file-source\"}";
        assertEquals(List.of(String.format(shaped, "first line"), String.format(shaped, "second line")),
                payloads("connect-test", 2, output));
        assertEquals(List.of("\"greeting 0\"", "\"greeting 1\"", "\"greeting 2\""), payloads("greetings", 3, output));
    }

    /** {@code bin/runnel} of the unpacked distribution with {@code args}, its output in {@code output}. */
    private Process runnel(Path output, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/runnel").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("PATH", noMaven + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("RUNNEL_HEAP_OPTS", "-Xmx256m");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** One of the distribution's example files in config/ with some values changed, written to the test's dir. */
    private Path edited(String example, Map<String, String> changes) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(home.resolve("config").resolve(example))) {
            props.load(in);
        }
        props.putAll(changes);
        Path file = dir.resolve(example);
        try (Writer out = Files.newBufferedWriter(file)) {
            props.store(out, null);
        }
        return file;
    }

    /**
     * A plugin as a user installs one: a jar of its own in a folder of {@code plugin.path}, holding the connector's
     * classes and the ServiceLoader manifest the worker's {@code plugin.discovery=service_load} finds it by.
     */
    private static void installGreetingPlugin(Path folder) throws IOException {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(folder.resolve("greetings.jar")))) {
            for (Class<?> type : List.of(GreetingSourceConnector.class, GreetingSourceTask.class)) {
                String entry = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(jar);
                }
            }
            jar.putNextEntry(new JarEntry("META-INF/services/" + SourceConnector.class.getName()));
            jar.write((GreetingSourceConnector.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The JSON converter's "payload" of the first {@code count} records of {@code topic}, as JSON text. */
    private List<String> payloads(String topic, int count, Path workerOutput) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> payloads = new ArrayList<>();
        for (String value : values(topic, count, "worker output in " + workerOutput)) {
            payloads.add(json.readTree(value).get("payload").toString());
        }
        return payloads;
    }

    private List<String> values(String topic, int count) {
        return values(topic, count, "");
    }

    private List<String> values(String topic, int count, String context) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            Await.awaitCondition(WAIT, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
                return read.size() >= count;
            }, count + " records of " + topic + " " + context);
        }
        return read;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
