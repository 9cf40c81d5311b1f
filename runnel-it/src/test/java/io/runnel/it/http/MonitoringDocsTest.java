package io.runnel.it.http;

import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the Prometheus alert rules of {@code docs/monitoring/} name only series that a running
 * broker's /metrics exports, once it has served a producer and a consumer group: a renamed metric breaks this test,
 * not an operator's dashboard.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MonitoringDocsTest {
    private static final Pattern METRIC = Pattern.compile("\\b(?:kafka|jvm|process)_[a-z0-9_]+\\b");
    private static final Pattern ALERT_EXPR = Pattern.compile("^\\s*expr:\\s*(.+)$", Pattern.MULTILINE);
    private static final String TOPIC = "watched";

    private static RunnelCluster cluster;
    private static Set<String> exported;

    @BeforeAll
    static void start() throws Exception {
        PrometheusScrape.requireParser();
        cluster = RunnelCluster.builder().brokerProperty("admin.listeners", "http://127.0.0.1:0").start();
        cluster.createTopic(TOPIC, 1);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            producer.send(new ProducerRecord<>(TOPIC, "record".getBytes())).get();
        }
        Properties group = new Properties();
        group.put(ConsumerConfig.GROUP_ID_CONFIG, "watching-app");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(group)) {
            TopicReader.readAll(consumer, TopicReader.partitions(TOPIC, 1), Duration.ofSeconds(60), r -> { });
            consumer.commitSync();
        }
        PrometheusScrape scrape = PrometheusScrape.of(cluster.server(1).adminPort());
        exported = scrape.samples().stream().map(PrometheusScrape.Sample::name).collect(Collectors.toSet());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Path docs() {
        return Paths.get(System.getProperty("runnel.it.docs", "../docs")).resolve("monitoring");
    }

    @Test
    void theDashboardNamesOnlyExportedMetrics() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(docs().resolve("runnel-dashboard.json")));
        Set<String> named = new TreeSet<>();
        collectQueries(dashboard, named);
        assertTrue(named.containsAll(List.of("kafka_server_brokertopicmetrics_messagesin_total",
                "kafka_network_requestmetrics_totaltimems", "kafka_server_replicamanager_underreplicatedpartitions",
                "kafka_controller_kafkacontroller_offlinepartitionscount", "kafka_server_replicamanager_isrshrinks_total",
                "kafka_consumergroup_lag", "jvm_memory_used_bytes")), "the panels the issue asks for: " + named);
        assertEquals(Set.of(), missing(named));
    }

    @Test
    void theAlertRulesNameOnlyExportedMetrics() throws Exception {
        Matcher expressions = ALERT_EXPR.matcher(Files.readString(docs().resolve("alerts.yml")));
        Set<String> named = new TreeSet<>();
        while (expressions.find()) {
            addMetrics(expressions.group(1), named);
        }
        assertEquals(Set.of("kafka_consumergroup_lag", "kafka_controller_kafkacontroller_activecontrollercount",
                "kafka_controller_kafkacontroller_offlinepartitionscount",
                "kafka_server_replicamanager_offlinereplicacount",
                "kafka_server_replicamanager_underminisrpartitioncount",
                "kafka_server_replicamanager_underreplicatedpartitions"), named);
        assertEquals(Set.of(), missing(named));
    }

    /** The metric names of every query of the dashboard: its panels' targets and its template variables. */
    private static void collectQueries(Object node, Set<String> named) {
        if (node instanceof JsonObject object) {
            for (String key : object.fieldNames()) {
                Object value = object.getValue(key);
                if ((key.equals("expr") || key.equals("definition")) && value instanceof String query) {
                    addMetrics(query, named);
                } else {
                    collectQueries(value, named);
                }
            }
        } else if (node instanceof JsonArray array) {
            array.forEach(element -> collectQueries(element, named));
        }
    }

    private static void addMetrics(String query, Set<String> named) {
        Matcher metric = METRIC.matcher(query);
        while (metric.find()) {
            named.add(metric.group());
        }
    }

    private static Set<String> missing(Set<String> named) {
        return named.stream().filter(name -> !exported.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }
}
