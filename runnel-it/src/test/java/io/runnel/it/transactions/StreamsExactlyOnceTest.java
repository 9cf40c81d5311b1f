package io.runnel.it.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.RunnelCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams 4.4 with {@code processing.guarantee=exactly_once_v2} on three nodes: a count per key (state store
 * with a changelog) reaches RUNNING and processes its input; the instance is closed mid-stream and a new one (with an
 * empty state directory, so it restores from the changelog) finishes. Read with read_committed, the output holds every
 * count of every key exactly once, 1 to N in order: reprocessed input or a lost transactional offset commit would
 * repeat or overshoot counts.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class StreamsExactlyOnceTest {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final String INPUT = "eos-input";
    private static final String OUTPUT = "eos-counts";
    private static final int KEYS = 4;
    private static final int PER_KEY = 50;
    @TempDir
    Path stateDirs;
    private RunnelCluster cluster;
    private int instances;

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterShape.THREE_NODES.builder().start();
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(INPUT, 2, (short) 3), new NewTopic(OUTPUT, 2, (short) 3)))
                    .all().get(60, TimeUnit.SECONDS);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(props)) {
            for (int i = 0; i < PER_KEY; i++) {
                for (int k = 0; k < KEYS; k++) {
                    producer.send(new ProducerRecord<>(INPUT, bytes("key-" + k), bytes("v" + i)));
                }
            }
            producer.flush();
        }
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void countsAreExactlyOnceAcrossARestartOfTheApplication() throws Exception {
        try (KafkaStreams first = streams()) {
            startAndAwaitRunning(first);
            Await.awaitCondition(WAIT, () -> counts().values().stream().mapToInt(List::size).sum() >= KEYS,
                    "the first instance commits some counts");
            first.close(Duration.ofSeconds(60));
        }
        try (KafkaStreams second = streams()) {
            startAndAwaitRunning(second);
            Await.awaitCondition(WAIT, () -> counts().values().stream()
                    .allMatch(c -> !c.isEmpty() && c.get(c.size() - 1) >= PER_KEY) && counts().size() == KEYS,
                    "every key counted to " + PER_KEY);
            second.close(Duration.ofSeconds(60));
        }
        List<Long> oneToN = LongStream.rangeClosed(1, PER_KEY).boxed().toList();
        Map<String, List<Long>> counts = counts();
        assertEquals(KEYS, counts.size(), "keys counted: " + counts.keySet());
        counts.forEach((key, values) -> assertEquals(oneToN, values, "the committed counts of " + key));
    }

    private KafkaStreams streams() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        // A new state directory per instance: the second one restores its counts from the changelog.
        Path stateDir = stateDirs.resolve("instance-" + instances++);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-count");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10);
        return new KafkaStreams(builder.build(), props);
    }

    private static void startAndAwaitRunning(KafkaStreams streams) {
        streams.start();
        Await.awaitCondition(WAIT, () -> streams.state() == KafkaStreams.State.RUNNING, "Streams reaches RUNNING");
    }

    /** Every count of the output, per key in order, as a read_committed consumer reads them. */
    private Map<String, List<Long>> counts() {
        return CountTopics.read(cluster, OUTPUT, 2, "read_committed");
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
