package io.runnel.it.compat;

import static io.runnel.it.ThreeRacks.RECORDS;
import static io.runnel.it.ThreeRacks.VALUE_BYTES;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.runnel.it.RunnelCluster;
import io.runnel.it.ThreeRacks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * KIP-392 with librdkafka (confluent-kafka-python, {@code client.rack}) and KafkaJS ({@code rackId}) on three brokers
 * in three racks: sent by the leader (node 1) to the follower in their rack, each reads every record from node 3, as
 * the bytes each client's own statistics count per broker show; without a rack, from the leader.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FollowerFetchClientsTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path KAFKAJS = ClientCommand.clientsDir().resolve("kafkajs");
    private static final String TOPIC = "nearby-clients";
    private static final long ALL = (long) RECORDS * VALUE_BYTES;

    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ThreeRacks.start(TOPIC);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void librdkafkaInAFollowersRackReadsFromThatFollower() throws Exception {
        assertReadFromNode3(librdkafka("rack-3"));
    }

    @Test
    void librdkafkaWithoutARackReadsFromTheLeader() throws Exception {
        assertReadFromTheLeader(librdkafka(null));
    }

    @Test
    void kafkaJsInAFollowersRackReadsFromThatFollower() throws Exception {
        assertReadFromNode3(kafkaJs("rack-3"));
    }

    @Test
    void kafkaJsWithoutARackReadsFromTheLeader() throws Exception {
        assertReadFromTheLeader(kafkaJs(null));
    }

    /** Every record's bytes came from node 3, the follower in rack-3, and not from the leader. */
    private static void assertReadFromNode3(Map<Integer, Long> bytesByNode) {
        assertTrue(bytesByNode.getOrDefault(3, 0L) > ALL, "the records came from node 3: " + bytesByNode);
        assertTrue(bytesByNode.getOrDefault(1, 0L) < ALL / 10, "not from the leader: " + bytesByNode);
    }

    private static void assertReadFromTheLeader(Map<Integer, Long> bytesByNode) {
        assertTrue(bytesByNode.getOrDefault(1, 0L) > ALL, "the records came from the leader: " + bytesByNode);
        assertTrue(bytesByNode.getOrDefault(3, 0L) < ALL / 10, "not from node 3: " + bytesByNode);
    }

    /** The bytes librdkafka received from each broker while reading the topic, by node id. */
    private static Map<Integer, Long> librdkafka(String rack) throws Exception {
        ClientCommand.requireInstalled("confluent-kafka-python", "apt-get install python3-confluent-kafka",
                PYTHON, "-c", "import confluent_kafka");
        List<String> command = new ArrayList<>(List.of(PYTHON, ClientCommand.clientsDir().resolve("python")
                .resolve("rack_consumer_driver.py").toString(), cluster.bootstrapServers(), TOPIC,
                Integer.toString(RECORDS)));
        if (rack != null) {
            command.add(rack);
        }
        Map<Integer, Long> received = new HashMap<>();
        for (String line : ClientCommand.run("", command).strip().split("\n")) {
            String[] words = line.split(" ");
            received.put(Integer.parseInt(words[1]), Long.parseLong(words[2]));
        }
        return received;
    }

    /** The bytes of the Fetch responses KafkaJS received from each broker while reading the topic, by node id. */
    private static Map<Integer, Long> kafkaJs(String rack) throws Exception {
        ClientCommand.requireInstalled("node", "apt-get install nodejs", "node", "--version");
        if (!Files.isRegularFile(KAFKAJS.resolve("node_modules").resolve("kafkajs").resolve("package.json"))) {
            fail("KafkaJS is not installed: run npm ci in " + KAFKAJS + "; .ci/run does");
        }
        List<String> command = new ArrayList<>(List.of("node", KAFKAJS.resolve("kafkajs-rack.js").toString(),
                cluster.bootstrapServers(), TOPIC, Integer.toString(RECORDS)));
        if (rack != null) {
            command.add(rack);
        }
        Map<String, Integer> nodeByAddress = new HashMap<>();
        for (int node : cluster.nodeIds()) {
            nodeByAddress.put(cluster.node(node).bootstrapServers(), node);
        }
        Map<Integer, Long> fetched = new HashMap<>();
        for (String line : ClientCommand.run("", command).strip().split("\n")) {
            String[] words = line.split(" ");
            fetched.merge(nodeByAddress.getOrDefault(words[0], -1), Long.parseLong(words[1]), Long::sum);
        }
        return fetched;
    }
}
