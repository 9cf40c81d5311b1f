package io.runnel.it.http;

import io.runnel.it.Await;
import io.runnel.it.ClusterShape;
import io.runnel.it.Futures;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.runnel.tools.Runnel;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On three nodes: the consumer-lag series of /metrics come from the group's coordinator only and equal what
 * {@code runnel consumer-groups --describe} prints, as do Kafka's GroupMetadataManager counts; every node serves its
 * own broker metrics, and the controllers' ActiveControllerCount sums to 1.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConsumerLagMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "lagged";
    private static final String GROUP = "lag-app";
    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 10;
    /** The offsets the group commits, below the partitions' 10 records: a lag of 7, 5 and 0. */
    private static final long[] COMMITTED = {3, 5, 10};

    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        PrometheusScrape.requireParser();
        cluster = ClusterShape.THREE_NODES.builder()
                .brokerProperty("admin.listeners", "http://127.0.0.1:0")
                .brokerProperty("offsets.topic.num.partitions", "3")
                .start();
        cluster.createTopic(TOPIC, PARTITIONS);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i < PER_PARTITION; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, null, ("v" + i).getBytes())).get();
                }
            }
        }
        Properties group = new Properties();
        group.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(group)) {
            List<TopicPartition> partitions = TopicReader.partitions(TOPIC, PARTITIONS);
            TopicReader.readAll(consumer, partitions, WAIT, r -> { });
            consumer.commitSync(Map.of(partitions.get(0), new OffsetAndMetadata(COMMITTED[0]),
                    partitions.get(1), new OffsetAndMetadata(COMMITTED[1]),
                    partitions.get(2), new OffsetAndMetadata(COMMITTED[2])));
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theCoordinatorsLagSeriesEqualWhatConsumerGroupsDescribePrints() throws Exception {
        List<String[]> rows = describeRows();
        assertEquals(PARTITIONS, rows.size());
        for (int p = 0; p < PARTITIONS; p++) {
            assertEquals(List.of(TOPIC, Integer.toString(p), Long.toString(COMMITTED[p]),
                    Integer.toString(PER_PARTITION), Long.toString(PER_PARTITION - COMMITTED[p])),
                    List.of(rows.get(p)).subList(1, 6));
        }
        int coordinator = coordinator();
        // A follower's replica learns the high watermark on its next fetch: await it rather than race it.
        Await.awaitCondition(WAIT, () -> lagSeriesEqual(scrape(coordinator), rows),
                "node " + coordinator + "'s lag series equal to " + describeText(rows));
        for (int node : cluster.nodeIds()) {
            if (node != coordinator) {
                assertTrue(scrape(node).named("kafka_consumergroup_current_offset").stream()
                        .noneMatch(s -> GROUP.equals(s.labels().get("consumergroup"))),
                        "node " + node + " does not coordinate the group and exports none of its offsets");
            }
        }
    }

    @Test
    void onlyTheCoordinatorCountsTheGroupAndItsOffsets() throws Exception {
        int coordinator = coordinator();
        for (int node : cluster.nodeIds()) {
            boolean coordinates = node == coordinator;
            PrometheusScrape scrape = scrape(node);
            assertEquals(Optional.of(coordinates ? (double) PARTITIONS : 0.0),
                    scrape.value("kafka_coordinator_group_groupmetadatamanager_numoffsets"), "node " + node);
            // A group that only commits is a classic group, Empty (as in Kafka).
            assertEquals(Optional.of(coordinates ? 1.0 : 0.0),
                    scrape.value("kafka_coordinator_group_groupmetadatamanager_numgroups"), "node " + node);
            assertEquals(Optional.of(coordinates ? 1.0 : 0.0),
                    scrape.value("kafka_coordinator_group_groupmetadatamanager_numgroupsempty"), "node " + node);
            assertEquals(Optional.of(0.0),
                    scrape.value("kafka_coordinator_group_groupmetadatamanager_numgroupsstable"), "node " + node);
            assertEquals(coordinates ? PARTITIONS : 0, cluster.server(node).metrics().registry().getGauges()
                    .get("kafka.coordinator.group:type=GroupMetadataManager,name=NumOffsets").getValue());
        }
    }

    private static int coordinator() {
        try (Admin admin = cluster.admin()) {
            return Futures.get(admin.describeConsumerGroups(List.of(GROUP)).all()).get(GROUP).coordinator().id();
        }
    }

    private static boolean lagSeriesEqual(PrometheusScrape scrape, List<String[]> rows) {
        for (String[] row : rows) {
            String[] labels = {"consumergroup", GROUP, "topic", row[1], "partition", row[2]};
            if (!scrape.value("kafka_consumergroup_current_offset", labels).equals(number(row[3]))
                    || !scrape.value("kafka_consumergroup_log_end_offset", labels).equals(number(row[4]))
                    || !scrape.value("kafka_consumergroup_lag", labels).equals(number(row[5]))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Double> number(String printed) {
        return Optional.of(Double.parseDouble(printed));
    }

    @Test
    void everyNodeServesItsOwnMetrics() {
        Await.awaitCondition(WAIT, () -> {
            double activeControllers = 0;
            double messagesIn = 0;
            for (int node : cluster.nodeIds()) {
                PrometheusScrape scrape = scrape(node);
                var registry = cluster.server(node).metrics().registry();
                Object partitions = registry.getGauges().get("kafka.server:type=ReplicaManager,name=PartitionCount")
                        .getValue();
                if (!scrape.value("kafka_server_replicamanager_partitioncount")
                        .equals(Optional.of(((Number) partitions).doubleValue()))) {
                    return false;
                }
                var meter = registry.getMeters().get("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic="
                        + TOPIC);
                Optional<Double> scraped = scrape.value("kafka_server_brokertopicmetrics_messagesin_total",
                        "topic", TOPIC);
                if (meter == null ? scraped.isPresent() : !scraped.equals(Optional.of((double) meter.getCount()))) {
                    return false;
                }
                messagesIn += scraped.orElse(0.0);
                activeControllers += scrape.value("kafka_controller_kafkacontroller_activecontrollercount")
                        .orElseThrow();
            }
            return activeControllers == 1 && messagesIn == PARTITIONS * PER_PARTITION;
        }, "each node's /metrics equal to its registry, one active controller, each record counted by its leader");
    }

    private static PrometheusScrape scrape(int node) {
        try {
            return PrometheusScrape.of(cluster.server(node).adminPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The rows {@code runnel consumer-groups --describe --group lag-app} prints for the group, split on blanks. */
    private static List<String[]> describeRows() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Runnel.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("consumer-groups", "--bootstrap-server", cluster.bootstrapServers(), "--describe",
                "--group", GROUP);
        assertEquals(0, exit, err.toString());
        return out.toString().lines().filter(l -> l.startsWith(GROUP + " ")).map(l -> l.trim().split("\\s+"))
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a[2]), Integer.parseInt(b[2]))).toList();
    }

    private static String describeText(List<String[]> rows) {
        return rows.stream().map(r -> String.join(" ", r)).toList().toString();
    }
}
