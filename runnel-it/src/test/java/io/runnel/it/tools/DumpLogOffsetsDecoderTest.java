package io.runnel.it.tools;

import io.runnel.it.Await;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import io.runnel.tools.Runnel;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code runnel dump-log --offsets-decoder} on the __consumer_offsets segment a real consumer group wrote to. */
class DumpLogOffsetsDecoderTest {
    private static final int OFFSETS_PARTITIONS = 3;
    private static final String GROUP = "dumped-group";
    private static final String TOPIC = "dumped-topic";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = RunnelCluster.builder()
                .brokerProperty("offsets.topic.num.partitions", Integer.toString(OFFSETS_PARTITIONS)).start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void decodesCommitsGroupMetadataAndTombstones() {
        Path segment = cluster.logDir(cluster.nodeIds().get(0))
                .resolve("__consumer_offsets-" + Utils.abs(GROUP.hashCode()) % OFFSETS_PARTITIONS)
                .resolve("00000000000000000000.log");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            Futures.get(admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps())) {
                consumer.subscribe(List.of(TOPIC));
                Await.awaitCondition(TIMEOUT, () -> {
                    consumer.poll(Duration.ofMillis(100));
                    return consumer.assignment().size() == 2;
                }, "the consumer never got its partitions");
                consumer.commitSync(Map.of(new TopicPartition(TOPIC, 1), new OffsetAndMetadata(5, "note")));
            }

            String committed = dump(segment);
            assertTrue(committed.contains(" key: {\"type\":\"1\",\"data\":{\"group\":\"" + GROUP + "\",\"topic\":\""
                    + TOPIC + "\",\"partition\":1}} payload: {\"version\":\"0\",\"data\":{\"offset\":5,"
                    + "\"leaderEpoch\":-1,\"metadata\":\"note\",\"commitTimestamp\":"), committed);
            assertTrue(committed.contains(" key: {\"type\":\"2\",\"data\":{\"group\":\"" + GROUP + "\"}} payload: "
                    + "{\"version\":\"0\",\"data\":{\"protocolType\":\"consumer\",\"generation\":1,"), committed);
            assertTrue(committed.contains("\"clientId\":\"dumper\",\"clientHost\":\"/127.0.0.1\","), committed);
            assertTrue(committed.contains("\"subscription\":{\"topics\":[\"" + TOPIC + "\"],"), committed);
            assertTrue(committed.contains("\"assignment\":{\"assignedPartitions\":[{\"topic\":\"" + TOPIC
                    + "\",\"partitions\":[0,1]}],\"userData\":"), committed);
            assertTrue(committed.lines().noneMatch(l -> l.contains("<DELETE>")), committed);

            Futures.get(admin.deleteConsumerGroups(List.of(GROUP)).all());
        }

        String deleted = dump(segment);
        assertTrue(deleted.contains(" key: {\"type\":\"1\",\"data\":{\"group\":\"" + GROUP + "\",\"topic\":\"" + TOPIC
                + "\",\"partition\":1}} payload: <DELETE>"), deleted);
        assertTrue(deleted.contains(" key: {\"type\":\"2\",\"data\":{\"group\":\"" + GROUP + "\"}} payload: <DELETE>"),
                deleted);
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dumper");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static String dump(Path segment) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Runnel.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("dump-log", "--files", segment.toString(), "--offsets-decoder");
        assertEquals(0, code, err.toString());
        return out.toString();
    }
}
