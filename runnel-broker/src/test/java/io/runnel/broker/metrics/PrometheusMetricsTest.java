package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's metrics under the names, labels and types the JMX exporter's Kafka rules give their MBeans. */
class PrometheusMetricsTest {
    private final BrokerMetrics metrics = new BrokerMetrics();

    private List<String> lines() {
        PrometheusMetrics.Scrape scrape = metrics.prometheus().scrape("");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.contentType());
        return new String(scrape.body(), StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void metersAreCountersAndGaugesAreGauges() {
        metrics.topics().topic("t").appended(3, 300);
        metrics.gauge(KafkaMetricName.of("kafka.log", "Log", "LogEndOffset", "topic", "t", "partition", "0"),
                (Gauge<Long>) () -> 42L);
        metrics.gauge(KafkaMetricName.of("kafka.coordinator.group", "GroupMetadataManager", "NumGroups"),
                (Gauge<Integer>) () -> 2);
        List<String> lines = lines();

        assertTrue(lines.contains("# TYPE kafka_server_brokertopicmetrics_messagesin_total counter"), lines::toString);
        assertTrue(lines.contains("kafka_server_brokertopicmetrics_messagesin_total 3.0"), lines::toString);
        assertTrue(lines.contains("kafka_server_brokertopicmetrics_messagesin_total{topic=\"t\"} 3.0"), lines::toString);
        assertTrue(lines.contains("kafka_server_brokertopicmetrics_bytesin_total{topic=\"t\"} 300.0"), lines::toString);
        assertTrue(lines.contains("# TYPE kafka_log_log_logendoffset gauge"), lines::toString);
        assertTrue(lines.contains("kafka_log_log_logendoffset{partition=\"0\",topic=\"t\"} 42.0"), lines::toString);
        assertTrue(lines.contains("kafka_coordinator_group_groupmetadatamanager_numgroups 2.0"), lines::toString);
        assertFalse(lines.stream().anyMatch(l -> l.contains("rate")), "rates are Prometheus' to compute");
    }

    @Test
    void histogramsAreACountAndQuantileGauges() {
        metrics.requests().of(ApiKeys.PRODUCE).times(0, TimeUnit.MILLISECONDS.toNanos(2),
                TimeUnit.MILLISECONDS.toNanos(5), 0, 0, TimeUnit.MILLISECONDS.toNanos(7));
        List<String> lines = lines();

        assertTrue(lines.contains("# TYPE kafka_network_requestmetrics_totaltimems_count_total counter"),
                lines::toString);
        assertTrue(lines.contains("kafka_network_requestmetrics_totaltimems_count_total{request=\"Produce\"} 1.0"),
                lines::toString);
        assertTrue(lines.contains("# TYPE kafka_network_requestmetrics_totaltimems gauge"), lines::toString);
        for (String quantile : List.of("0.50", "0.75", "0.95", "0.98", "0.99", "0.999")) {
            assertTrue(lines.contains("kafka_network_requestmetrics_totaltimems{quantile=\"" + quantile
                    + "\",request=\"Produce\"} 7.0"), quantile + " in " + lines);
        }
    }

    @Test
    void timersAreHistogramsInMillisecondsAndPercentGaugesFollowThePercentRules() {
        metrics.timer(KafkaMetricName.of("kafka.log", "LogFlushStats", "LogFlushRateAndTimeMs"))
                .update(3, TimeUnit.MILLISECONDS);
        metrics.gauge(KafkaMetricName.of("kafka.network", "SocketServer", "NetworkProcessorAvgIdlePercent"),
                (Gauge<Double>) () -> 0.75);
        List<String> lines = lines();

        assertTrue(lines.contains("kafka_log_logflushstats_logflushrateandtimems_count_total 1.0"), lines::toString);
        assertTrue(lines.contains("kafka_log_logflushstats_logflushrateandtimems{quantile=\"0.99\"} 3.0"),
                lines::toString);
        assertTrue(lines.contains("kafka_network_socketserver_networkprocessoravgidle_percent 0.75"), lines::toString);
    }

    @Test
    void kafkaLibraryMetricsAreGaugesNamedAfterTheirAttributes() {
        metrics.kafkaMetrics("kafka.server:type=socket-server-metrics,listener=PLAINTEXT,networkProcessor=0")
                .number("connection-count", () -> 2)
                .text("state", () -> "not a number");
        metrics.kafkaMetrics("kafka.server:type=raft-metrics").number("current-leader", () -> 1)
                .avgAndMaxMs("commit-latency").update(TimeUnit.MILLISECONDS.toNanos(4));
        List<String> lines = lines();

        assertTrue(lines.contains("# TYPE kafka_server_socket_server_metrics_connection_count gauge"), lines::toString);
        assertTrue(lines.contains("kafka_server_socket_server_metrics_connection_count"
                + "{listener=\"PLAINTEXT\",networkProcessor=\"0\"} 2.0"), lines::toString);
        assertTrue(lines.contains("kafka_server_raft_metrics_current_leader 1.0"), lines::toString);
        assertTrue(lines.contains("kafka_server_raft_metrics_commit_latency_max 4.0"), lines::toString);
        assertFalse(lines.stream().anyMatch(l -> l.contains("socket_server_metrics_state")), "text is left out");
    }

    @Test
    void aMetricThatFailsIsNotANumberOrHasNoValidLabelsIsLeftOutOfTheScrapeAlone() {
        metrics.gauge(KafkaMetricName.of("kafka.log", "Log", "Size", "topic", "closing", "partition", "0"),
                (Gauge<Long>) () -> {
                    throw new IllegalStateException("the log is closed");
                });
        metrics.gauge(KafkaMetricName.of("kafka.server", "KafkaServer", "ClusterId"), (Gauge<String>) () -> "abc");
        metrics.gauge(KafkaMetricName.of("kafka.server", "Odd", "Twice", "topic", "a", "topic", "b"),
                (Gauge<Integer>) () -> 2);
        metrics.gauge(KafkaMetricName.of("kafka.server", "Quota", "Throttle", "client-id", "c1"), (Gauge<Integer>) () -> 3);
        metrics.gauge(KafkaMetricName.of("kafka.server", "ReplicaManager", "LeaderCount"), (Gauge<Integer>) () -> 1);
        List<String> lines = lines();

        assertFalse(lines.stream().anyMatch(l -> l.contains("kafka_log_log_size") || l.contains("clusterid")
                || l.contains("kafka_server_odd_twice")), lines::toString);
        assertTrue(lines.contains("kafka_server_quota_throttle{client_id=\"c1\"} 3.0"), lines::toString);
        assertTrue(lines.contains("kafka_server_replicamanager_leadercount 1.0"), lines::toString);
    }

    @Test
    void openMetricsWhenAsked() {
        PrometheusMetrics.Scrape scrape = metrics.prometheus().scrape("application/openmetrics-text; version=1.0.0");
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", scrape.contentType());
        assertTrue(new String(scrape.body(), StandardCharsets.UTF_8).endsWith("# EOF\n"));
    }
}
