package io.runnel.it.compat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The clients that are not Java on a secured listener, their security settings given as each client writes them:
 * kcat's {@code -X} settings, confluent-kafka-python's settings and KafkaJS's options as JSON objects (see
 * src/test/clients/python/confluent_kafka_secured.py and kafkajs/kafkajs-secured.js). A round trip prints
 * "delivered N" or "acknowledged N", then "consumed N" and "same"; records 0 only logs in.
 */
public final class SecuredClients {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path KAFKAJS = ClientCommand.clientsDir().resolve("kafkajs");

    private SecuredClients() {
    }

    /** kcat with {@code settings} as {@code -X key=value} pairs, then {@code args}. */
    private static String kcat(String bootstrap, List<String> settings, String stdin, String... args) throws Exception {
        ClientCommand.requireInstalled("kcat", "apt-get install kcat", "kcat", "-V");
        List<String> command = new ArrayList<>(List.of("kcat", "-b", bootstrap));
        for (String setting : settings) {
            command.addAll(List.of("-X", setting));
        }
        command.addAll(List.of(args));
        return ClientCommand.run(stdin, command);
    }

    /** kcat produces {@code records} keyed records to the topic and reads them back: every one, in order. */
    public static void kcatRoundTrip(String bootstrap, List<String> settings, String topic, int records) throws Exception {
        String lines = IntStream.range(0, records).mapToObj(i -> "k" + i + ":kcat-" + i)
                .collect(Collectors.joining("\n", "", "\n"));
        kcat(bootstrap, settings, lines, "-P", "-t", topic, "-K:", "-X", "acks=all");
        String out = kcat(bootstrap, settings, null, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k=%s\\n");
        assertEquals(IntStream.range(0, records).mapToObj(i -> "k" + i + "=kcat-" + i).toList(), out.lines().toList());
    }

    static List<String> python(String bootstrap, String settingsJson, String topic, int records) throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python", "apt-get install python3-confluent-kafka",
                PYTHON, "-c", "import confluent_kafka");
        return ClientCommand.run(null, List.of(PYTHON,
                ClientCommand.clientsDir().resolve("python").resolve("confluent_kafka_secured.py").toString(),
                bootstrap, settingsJson, topic, Integer.toString(records))).lines().toList();
    }

    /** Needs {@code npm ci} in src/test/clients/kafkajs (.ci/run does it). */
    public static List<String> kafkaJs(String bootstrap, String optionsJson, String topic, int records) throws Exception {
        ClientCommand.requireInstalled("node", "apt-get install nodejs", "node", "--version");
        if (!Files.isRegularFile(KAFKAJS.resolve("node_modules").resolve("kafkajs").resolve("package.json"))) {
            fail("KafkaJS is not installed: run npm ci in " + KAFKAJS + "; .ci/run does");
        }
        return ClientCommand.run(null, List.of("node", KAFKAJS.resolve("kafkajs-secured.js").toString(),
                bootstrap, optionsJson, topic, Integer.toString(records))).lines().toList();
    }
}
