package io.runnel.it.http;

import io.runnel.broker.metrics.KafkaMetricsBean;
import io.runnel.it.Await;
import io.runnel.it.RunnelCluster;
import io.runnel.it.sasl.SaslClients;
import io.runnel.it.tls.TestPki;
import io.runnel.it.tls.TlsClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's socket-server-metrics, idle percentages, DelayedOperationPurgatory, LogFlushStats and log cleaner metrics of
 * a running node, read from its /metrics after clients did what each counts: connections opened and closed, a wrong
 * and a right SASL password, a good and a bad TLS handshake, a consumer's long-poll fetch parked until a record
 * arrives, appends to a topic flushed after every message, a compaction, a compacted log whose segment is corrupt.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NetworkAndLogMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SOCKET_SERVER = "kafka_server_socket_server_metrics_";
    private static final String PLAINTEXT = "PLAINTEXT";
    /** A listener only the connection test connects to, so that its counts are exactly that test's. */
    private static final String COUNTED = "COUNTED";
    private static final String SASL = "SASL_PLAINTEXT";

    @TempDir
    static Path pkiDir;
    private static TestPki pki;
    private static RunnelCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        PrometheusScrape.requireParser();
        pki = TestPki.create(pkiDir);
        cluster = RunnelCluster.builder()
                .sslListener()
                .brokerProperty("ssl.keystore.type", "PKCS12")
                .brokerProperty("ssl.keystore.location", pki.server("broker").keystore("PKCS12").toString())
                .brokerProperty("ssl.keystore.password", TestPki.PASSWORD)
                .listener(SASL, SASL)
                .listener(COUNTED, PLAINTEXT)
                .brokerProperty("sasl.enabled.mechanisms", "PLAIN")
                .brokerProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", SaslClients.BROKER_PLAIN_JAAS)
                .brokerProperty("admin.listeners", "http://127.0.0.1:0")
                .brokerProperty("num.network.threads", "2")
                // small segments cleaned soon after they close
                .brokerProperty("log.segment.bytes", "1024")
                .brokerProperty("log.cleaner.backoff.ms", "100")
                // an offset map of 100 slots, which a few keys fill by a visible share
                .brokerProperty("log.cleaner.dedupe.buffer.size", "2400")
                .start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void connectionCountsFollowTheSocketsAClientOpensAndCloses() throws Exception {
        assertEquals(0.0, scrapedSum(scrape(), "connection_count", COUNTED));
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                sockets.add(new Socket("127.0.0.1", cluster.server(1).boundPort(COUNTED)));
            }
            Await.awaitCondition(WAIT, () -> sum(COUNTED, "connection-count") == 3, "the three connections are counted");
            PrometheusScrape scrape = scrape();
            assertEquals(3.0, scrapedSum(scrape, "connection_count", COUNTED));
            assertEquals(3.0, scrapedSum(scrape, "connection_creation_total", COUNTED));
            assertEquals(0.0, scrapedSum(scrape, "connection_close_total", COUNTED));
            assertEquals(2, scrape.named(SOCKET_SERVER + "connection_count").stream()
                    .filter(s -> s.labels().get("listener").equals(COUNTED)).count(), "one per network thread");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        Await.awaitCondition(WAIT, () -> sum(COUNTED, "connection-count") == 0, "closed connections go");
        assertEquals(3.0, scrapedSum(scrape(), "connection_close_total", COUNTED));
        assertEquals(0.0, scrapedSum(scrape(), "successful_authentication_total", COUNTED),
                "PLAINTEXT connections are not authenticated");
    }

    @Test
    void theEventLoopsIdleShareIsAFractionUnderThePercentRulesNames() throws Exception {
        PrometheusScrape scrape = scrape();
        double network = scrape.value("kafka_network_socketserver_networkprocessoravgidle_percent").orElseThrow();
        double handlers = scrape.value("kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent")
                .orElseThrow();
        // A broker serving nothing but this scrape waits for I/O nearly all the time.
        assertTrue(network > 0 && network <= 1, "NetworkProcessorAvgIdlePercent " + network);
        assertTrue(handlers > 0 && handlers <= 1, "RequestHandlerAvgIdlePercent " + handlers);
    }

    @Test
    void authenticationsCountPerListener() throws Exception {
        String bootstrap = cluster.bootstrapServers(SASL);
        assertTrue(SaslClients.refused(bootstrap, SaslClients.login(SASL, "PLAIN", "alice", "wrong-secret")));
        assertTrue(scrapedSum(scrape(), "failed_authentication_total", SASL) >= 1, "a wrong password fails");
        assertEquals(0.0, scrapedSum(scrape(), "failed_authentication_total", PLAINTEXT));
        double succeeded = sum(SASL, "successful-authentication-total");
        assertTrue(!SaslClients.refused(bootstrap, SaslClients.login(SASL, "PLAIN", "alice", "alice-secret")));
        assertTrue(scrapedSum(scrape(), "successful_authentication_total", SASL) > succeeded, "the right one succeeds");
    }

    @Test
    void tlsHandshakesAreTheAuthenticationsOfAnSslListener() throws Exception {
        Properties trusting = TlsClients.failingFast(TlsClients.trusting(pki.caPem(), "PEM"));
        trusting.put("bootstrap.servers", cluster.bootstrapServers("SSL"));
        try (Admin admin = Admin.create(trusting)) {
            admin.describeCluster().nodes().get();
        }
        try (Socket notTls = new Socket("127.0.0.1", cluster.server(1).boundPort("SSL"))) {
            notTls.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
            notTls.getInputStream().readAllBytes(); // the broker closes it
        }
        Await.awaitCondition(WAIT, () -> sum("SSL", "failed-authentication-total") >= 1, "the bad handshake counted");
        PrometheusScrape scrape = scrape();
        assertTrue(scrapedSum(scrape, "successful_authentication_total", "SSL") >= 1, "the Admin client's handshake");
        assertTrue(scrapedSum(scrape, "failed_authentication_total", "SSL") >= 1, "bytes that are not TLS");
    }

    @Test
    void aLongPollFetchIsCountedInTheFetchPurgatoryUntilARecordCompletesIt() throws Exception {
        String topic = "long-polled";
        cluster.createTopic(topic, 1);
        Properties longPoll = new Properties();
        longPoll.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "30000");
        longPoll.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(longPoll)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            Await.awaitCondition(WAIT, () -> {
                consumer.poll(Duration.ofMillis(50));
                return purgatorySize("Fetch") >= 1;
            }, "the consumer's fetch waits in the purgatory");
            assertTrue(scrape().value("kafka_server_delayedoperationpurgatory_purgatorysize", "delayedOperation",
                    "Fetch").orElseThrow() >= 1);
            try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
                producer.send(new ProducerRecord<>(topic, "wake".getBytes())).get();
            }
            Await.awaitCondition(WAIT, () -> purgatorySize("Fetch") == 0, "the record completes the parked fetch");
            assertEquals(0.0, scrape().value("kafka_server_delayedoperationpurgatory_purgatorysize",
                    "delayedOperation", "Fetch").orElseThrow());
        }
    }

    @Test
    void everyFlushIsTimed() throws Exception {
        String topic = "flushed";
        String count = "kafka_log_logflushstats_logflushrateandtimems_count_total";
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("flush.messages", "1")))).all().get();
        }
        double before = scrape().value(count).orElseThrow();
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            producer.send(new ProducerRecord<>(topic, "durable".getBytes())).get();
        }
        Await.awaitCondition(WAIT, () -> flushes() > before, "the append is flushed");
        assertTrue(scrape().value(count).orElseThrow() > before);
        assertTrue(scrape().value("kafka_log_logflushstats_logflushrateandtimems", "quantile", "0.99")
                .orElseThrow() >= 0);
    }

    @Test
    void theCleanerReportsWhatItsLastCleanRecopied() throws Exception {
        String topic = "compacted";
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01")))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>(topic, ("key-" + i % 5).getBytes(), new byte[50])).get();
            }
        }
        Await.awaitCondition(WAIT, () -> ((Number) cluster.server(1).metrics().registry().getGauges()
                .get("kafka.log:type=LogCleaner,name=cleaner-recopy-percent").getValue()).intValue() > 0,
                "a clean completed");
        PrometheusScrape scrape = scrape();
        double recopied = scrape.value("kafka_log_logcleaner_cleaner_recopy_percent").orElseThrow();
        assertTrue(recopied > 0 && recopied < 100, "duplicates are not copied: " + recopied);
        double utilization = scrape.value("kafka_log_logcleaner_max_buffer_utilization_percent").orElseThrow();
        assertTrue(utilization >= 1 && utilization <= 90, "a few keys in a 100-slot map: " + utilization);
        assertEquals(0.0, scrape.value("kafka_log_logcleaner_deadthreadcount").orElseThrow());
        assertTrue(scrape.value("kafka_log_logcleaner_max_clean_time_secs").orElseThrow() >= 0);
        assertEquals(0.0, scrape.value("kafka_log_logcleaner_max_compaction_delay_secs").orElseThrow(),
                "max.compaction.lag.ms is not passed");
        assertTrue(scrape.value("kafka_log_logcleanermanager_max_dirty_percent").orElseThrow() >= 0);
        assertTrue(scrape.value("kafka_log_logcleanermanager_time_since_last_run_ms").orElseThrow() >= 0);
        String logDir = cluster.logDir(1).toAbsolutePath().toString();
        assertEquals(0.0, scrape.value("kafka_log_logcleanermanager_uncleanable_partitions_count",
                "logDirectory", logDir).orElseThrow());
    }

    @Test
    void aCompactedLogWhoseCleanFailsIsCountedWithItsDirtyBytesUntilItGoes() throws Exception {
        String topic = "uncleanable";
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        String logDir = cluster.logDir(1).toAbsolutePath().toString();
        try (Admin admin = cluster.admin()) {
            // Nothing is cleaned until the segment below is broken.
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "min.compaction.lag.ms", "3600000")))).all().get();
            try {
                try (KafkaProducer<byte[], byte[]> producer = cluster.producer(new Properties())) {
                    for (int i = 0; i < 30; i++) {
                        producer.send(new ProducerRecord<>(topic, ("key-" + i).getBytes(), new byte[50])).get();
                    }
                }
                List<Path> segments = segmentFiles(cluster.logDir(1).resolve(topic + "-0"));
                assertTrue(segments.size() > 2, "closed segments to clean: " + segments);
                breakFirstRecord(segments.get(0));
                admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                        new ConfigEntry("min.compaction.lag.ms", "0"), AlterConfigOp.OpType.SET)))).all().get();

                Await.awaitCondition(WAIT, () -> cleanerGauge("uncleanable-partitions-count", logDir) == 1,
                        "the clean of the broken log fails");
                long closedBytes = 0;
                for (Path segment : segments.subList(0, segments.size() - 1)) {
                    closedBytes += Files.size(segment);
                }
                PrometheusScrape scrape = scrape();
                assertEquals(1.0, scrape.value("kafka_log_logcleanermanager_uncleanable_partitions_count",
                        "logDirectory", logDir).orElseThrow());
                assertEquals((double) closedBytes, scrape.value("kafka_log_logcleanermanager_uncleanable_bytes",
                        "logDirectory", logDir).orElseThrow(), "the dirty bytes: every closed segment");
            } finally {
                admin.deleteTopics(List.of(topic)).all().get();
            }
        }
        Await.awaitCondition(WAIT, () -> cleanerGauge("uncleanable-bytes", logDir) == 0, "a deleted log is not counted");
        assertEquals(0.0, scrape().value("kafka_log_logcleanermanager_uncleanable_partitions_count",
                "logDirectory", logDir).orElseThrow());
    }

    /** The partition's segment files, by base offset: the active one last. */
    private static List<Path> segmentFiles(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    /** Overwrites the length of the segment's first record (after its batch's 61-byte header) with an endless varint. */
    private static void breakFirstRecord(Path segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            byte[] junk = new byte[8];
            Arrays.fill(junk, (byte) 0xFF);
            channel.write(ByteBuffer.wrap(junk), 61);
        }
    }

    private static long cleanerGauge(String name, String logDir) {
        return ((Number) cluster.server(1).metrics().registry().getGauges()
                .get("kafka.log:type=LogCleanerManager,name=" + name + ",logDirectory=" + logDir).getValue())
                .longValue();
    }

    private static long flushes() {
        return cluster.server(1).metrics().registry().getTimers()
                .get("kafka.log:type=LogFlushStats,name=LogFlushRateAndTimeMs").getCount();
    }

    private static int purgatorySize(String operation) {
        return ((Number) cluster.server(1).metrics().registry().getGauges().get(
                "kafka.server:type=DelayedOperationPurgatory,name=PurgatorySize,delayedOperation=" + operation)
                .getValue()).intValue();
    }

    /** A metric summed over the listener's network threads, as the registry has it: for polling. */
    private static double sum(String listener, String metric) {
        double total = 0;
        for (int processor = 0; processor < 2; processor++) {
            KafkaMetricsBean bean = cluster.server(1).metrics().kafkaMetricsOrNull(
                    "kafka.server:type=socket-server-metrics,listener=" + listener + ",networkProcessor=" + processor);
            total += (Double) bean.values().get(metric);
        }
        return total;
    }

    private static double scrapedSum(PrometheusScrape scrape, String metric, String listener) {
        return scrape.named(SOCKET_SERVER + metric).stream().filter(s -> s.labels().get("listener").equals(listener))
                .mapToDouble(PrometheusScrape.Sample::value).sum();
    }

    private static PrometheusScrape scrape() throws IOException, InterruptedException {
        return PrometheusScrape.of(cluster.server(1).adminPort());
    }
}
