package io.runnel.it.http;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.runnel.it.RunnelCluster;
import io.runnel.it.TopicReader;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} on the admin endpoint: parsed by prometheus_client's parsers, it carries the values of the
 * broker's registry (what JMX shows) under the names and types the JMX exporter's Kafka rules give them, in OpenMetrics
 * when asked; other methods and over-long requests get a 4xx and scrapes go on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PrometheusEndpointTest {
    private static final String TOPIC = "scraped";
    private static final int PARTITIONS = 3;
    private static final int PER_PARTITION = 10;
    private static final String TOPICS = "kafka.server:type=BrokerTopicMetrics,name=";
    private static final String REPLICA_MANAGER = "kafka.server:type=ReplicaManager,name=";

    private static RunnelCluster cluster;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        PrometheusScrape.requireParser();
        cluster = RunnelCluster.builder().brokerProperty("admin.listeners", "http://127.0.0.1:0").start();
        port = cluster.server(1).adminPort();
        cluster.createTopic(TOPIC, PARTITIONS);
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = 0; i < PER_PARTITION; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, null, ("record-" + i).getBytes())).get();
                }
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            TopicReader.readAll(consumer, TopicReader.partitions(TOPIC, PARTITIONS), Duration.ofSeconds(60), r -> { });
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static MetricRegistry registry() {
        return cluster.server(1).metrics().registry();
    }

    private static long meter(String name) {
        return registry().getMeters().get(name).getCount();
    }

    private static double gauge(String name) {
        Gauge<?> gauge = registry().getGauges().get(name);
        return ((Number) gauge.getValue()).doubleValue();
    }

    @Test
    void theTextFormatParsesAndCarriesTheRegistrysValuesUnderTheExporterRulesNames() throws Exception {
        PrometheusScrape scrape = PrometheusScrape.of(port);
        int records = PARTITIONS * PER_PARTITION;

        assertEquals(Optional.of((double) records),
                scrape.value("kafka_server_brokertopicmetrics_messagesin_total", "topic", TOPIC));
        assertEquals(Optional.of("counter"), scrape.typeOf("kafka_server_brokertopicmetrics_messagesin_total"));
        assertEquals(Optional.of((double) meter(TOPICS + "MessagesInPerSec")),
                scrape.value("kafka_server_brokertopicmetrics_messagesin_total"));
        double bytesIn = scrape.value("kafka_server_brokertopicmetrics_bytesin_total", "topic", TOPIC).orElseThrow();
        assertEquals(meter(TOPICS + "BytesInPerSec,topic=" + TOPIC), (long) bytesIn);
        assertTrue(bytesIn >= records * "record-0".length(), "bytes in: " + bytesIn);
        double bytesOut = scrape.value("kafka_server_brokertopicmetrics_bytesout_total", "topic", TOPIC).orElseThrow();
        assertEquals(meter(TOPICS + "BytesOutPerSec,topic=" + TOPIC), (long) bytesOut);
        assertTrue(bytesOut >= bytesIn, "every record was read once: " + bytesOut);

        assertEquals(Optional.of("gauge"), scrape.typeOf("kafka_server_replicamanager_underreplicatedpartitions"));
        assertEquals(Optional.of(0.0), scrape.value("kafka_server_replicamanager_underreplicatedpartitions"));
        double partitions = scrape.value("kafka_server_replicamanager_partitioncount").orElseThrow();
        assertEquals(gauge(REPLICA_MANAGER + "PartitionCount"), partitions);
        assertTrue(partitions >= PARTITIONS, "partitions: " + partitions);
        assertEquals(Optional.of(partitions), scrape.value("kafka_server_replicamanager_leadercount"));

        double logEnd = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            logEnd += scrape.value("kafka_log_log_logendoffset", "topic", TOPIC, "partition", Integer.toString(p))
                    .orElseThrow();
        }
        assertEquals(records, logEnd);

        double produceRequests = scrape.named("kafka_network_requestmetrics_requests_total").stream()
                .filter(s -> "Produce".equals(s.labels().get("request"))).mapToDouble(PrometheusScrape.Sample::value)
                .sum();
        long registryProduceRequests = registry().getMeters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("kafka.network:type=RequestMetrics,name=RequestsPerSec,"
                        + "request=Produce,")).mapToLong(e -> e.getValue().getCount()).sum();
        assertEquals(registryProduceRequests, (long) produceRequests);
        assertTrue(produceRequests >= records, "one produce request per record sent and awaited");
        assertEquals(Optional.of((double) registry().getHistograms()
                        .get("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce").getCount()),
                scrape.value("kafka_network_requestmetrics_totaltimems_count_total", "request", "Produce"));
        for (String quantile : List.of("0.50", "0.75", "0.95", "0.98", "0.99", "0.999")) {
            assertTrue(scrape.value("kafka_network_requestmetrics_totaltimems", "request", "Produce",
                    "quantile", quantile).isPresent(), quantile);
        }
        assertEquals(Optional.of("gauge"), scrape.typeOf("kafka_network_requestmetrics_totaltimems"));
        // Every produce request the producer awaited went through each of Kafka's stages, its response sent.
        for (String stage : List.of("requestqueuetimems", "localtimems", "remotetimems", "responsequeuetimems",
                "responsesendtimems")) {
            assertTrue(scrape.value("kafka_network_requestmetrics_" + stage + "_count_total", "request", "Produce")
                    .orElseThrow() >= records, stage);
            assertTrue(scrape.value("kafka_network_requestmetrics_" + stage, "request", "Produce", "quantile", "0.99")
                    .isPresent(), stage);
        }

        assertFalse(scrape.named("jvm_memory_used_bytes").isEmpty(), "the JVM's metrics");
    }

    @Test
    void openMetricsWhenTheAcceptHeaderAsksForIt() throws Exception {
        // What Prometheus itself sends.
        HttpResponse<String> response = PrometheusScrape.get(port, "application/openmetrics-text;version=1.0.0,"
                + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertEquals(200, response.statusCode());
        assertEquals(PrometheusScrape.OPENMETRICS_CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        PrometheusScrape scrape = PrometheusScrape.parse(response.body(), true);
        assertEquals(Optional.of((double) PARTITIONS * PER_PARTITION),
                scrape.value("kafka_server_brokertopicmetrics_messagesin_total", "topic", TOPIC));
        assertEquals(Optional.of("counter"), scrape.typeOf("kafka_server_brokertopicmetrics_messagesin_total"));

        // Protobuf, which this endpoint does not write, and a plain text request both get the text format.
        for (String accept : List.of("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited", "text/plain")) {
            HttpResponse<String> text = PrometheusScrape.get(port, accept);
            assertEquals(200, text.statusCode(), accept);
            assertEquals(PrometheusScrape.TEXT_CONTENT_TYPE, text.headers().firstValue("Content-Type").orElse(""));
        }
    }

    @Test
    void otherMethodsAndOverlongRequestsGetA4xxAndScrapesGoOn() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> response = AdminProbe.send(HttpRequest.newBuilder(AdminProbe.uri(port, "/metrics"))
                    .method(method, HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build());
            assertEquals(405, response.statusCode(), method);
            assertTrue(response.body().startsWith("{\"error_code\":405"), response.body());
        }
        // Raw HTTP/1.1: the JDK's client may have upgraded its connection to HTTP/2, where these end in a GOAWAY.
        assertEquals(414, AdminProbe.rawStatus(port, "GET /metrics?" + "q".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(431, AdminProbe.rawStatus(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000)
                + "\r\n\r\n"));
        assertEquals(405, AdminProbe.rawStatus(port, "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
        HttpResponse<String> bigAccept = PrometheusScrape.get(port, "text/plain;" + "q=0.1,".repeat(1_000));
        assertEquals(200, bigAccept.statusCode(), "an odd but bounded Accept header still gets the metrics");

        assertEquals(Optional.of((double) PARTITIONS * PER_PARTITION), PrometheusScrape.of(port)
                .value("kafka_server_brokertopicmetrics_messagesin_total", "topic", TOPIC));
    }
}
