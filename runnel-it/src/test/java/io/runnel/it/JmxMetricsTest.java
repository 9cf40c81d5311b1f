package io.runnel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka's MBeans, read over a remote JMX connection from a broker started by {@code bin/runnel} with
 * RUNNEL_JMX_PORT, after real clients produced and consumed a known number of records.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JmxMetricsTest {
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 300;
    private static final int VALUE_BYTES = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private JmxServerProcess server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void brokerTopicRequestReplicaAndLogMetricsCountWhatClientsDid() throws Exception {
        server = JmxServerProcess.start();
        server.createTopic(TOPIC, PARTITIONS);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = server.producer(producerProps)) {
            byte[] value = new byte[VALUE_BYTES];
            Arrays.fill(value, (byte) 'v');
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value));
            }
            producer.flush();
        }
        // Assigned, not subscribed: no group, so nothing but these records is appended or read.
        List<TopicPartition> partitions = TopicReader.partitions(TOPIC, PARTITIONS);
        try (KafkaConsumer<byte[], byte[]> consumer = server.consumer(new Properties())) {
            assertEquals(RECORDS, TopicReader.readAll(consumer, partitions, TIMEOUT, r -> { }));
        }
        MBeanServerConnection jmx = server.jmx();
        long payload = (long) RECORDS * VALUE_BYTES;

        assertEquals((long) RECORDS, count(jmx, "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=" + TOPIC));
        assertEquals((long) RECORDS, count(jmx, "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"));
        assertTrue(count(jmx, "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=" + TOPIC) >= payload);
        assertTrue(count(jmx, "kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec,topic=" + TOPIC) >= payload);
        assertTrue(count(jmx, "kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec") >= payload);
        assertTrue(count(jmx, "kafka.server:type=BrokerTopicMetrics,name=TotalProduceRequestsPerSec") > 0);
        assertTrue(jmx.getAttribute(name("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"),
                "OneMinuteRate") instanceof Double);

        Set<ObjectName> produceRequests = jmx.queryNames(
                name("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=*"), null);
        assertFalse(produceRequests.isEmpty(), "RequestsPerSec of Produce, by version");
        long produced = 0;
        for (ObjectName byVersion : produceRequests) {
            produced += (Long) jmx.getAttribute(byVersion, "Count");
        }
        assertTrue(produced > 0);
        ObjectName totalTime = name("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce");
        assertEquals(produced, count(jmx, totalTime.toString()), "one TotalTimeMs sample per Produce request");
        for (String percentile : List.of("50thPercentile", "99thPercentile", "999thPercentile")) {
            assertTrue(jmx.getAttribute(totalTime, percentile) instanceof Double, percentile);
        }

        assertEquals(PARTITIONS, jmx.getAttribute(name("kafka.server:type=ReplicaManager,name=PartitionCount"), "Value"));
        assertEquals(PARTITIONS, jmx.getAttribute(name("kafka.server:type=ReplicaManager,name=LeaderCount"), "Value"));
        assertEquals(0, jmx.getAttribute(name("kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions"), "Value"));
        assertEquals(1, jmx.getAttribute(name("kafka.controller:type=KafkaController,name=ActiveControllerCount"), "Value"));

        long endOffsets = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            endOffsets += ((Number) jmx.getAttribute(
                    name("kafka.log:type=Log,name=LogEndOffset,topic=" + TOPIC + ",partition=" + p), "Value")).longValue();
        }
        assertEquals(RECORDS, endOffsets);

        // Kafka-library metrics: one MBean of attributes named after the metrics.
        ObjectName raft = name("kafka.server:type=raft-metrics");
        assertEquals(1.0, jmx.getAttribute(raft, "current-leader"), "the only node leads its quorum");
        assertEquals("leader", jmx.getAttribute(raft, "current-state"));
        assertTrue((Double) jmx.getAttribute(raft, "current-epoch") >= 1);
        assertTrue((Double) jmx.getAttribute(raft, "high-watermark") > 0);
        assertTrue((Double) jmx.getAttribute(raft, "append-records-total") > 0, "the topic's records were appended");
        assertTrue((Double) jmx.getAttribute(raft, "commit-latency-max") >= 0);
        assertEquals(0.0, jmx.getAttribute(raft, "number-unknown-voter-connections"));
        Set<ObjectName> socketServer = jmx.queryNames(
                name("kafka.server:type=socket-server-metrics,listener=PLAINTEXT,networkProcessor=*"), null);
        assertFalse(socketServer.isEmpty(), "socket-server-metrics per network thread");
        double created = 0;
        for (ObjectName processor : socketServer) {
            created += (Double) jmx.getAttribute(processor, "connection-creation-total");
            assertTrue(jmx.getAttribute(processor, "connection-count") instanceof Double);
            assertTrue(jmx.getAttribute(processor, "failed-authentication-rate") instanceof Double);
        }
        assertTrue(created >= 2, "the producer's and the consumer's connections at least: " + created);

        ObjectName flushes = name("kafka.log:type=LogFlushStats,name=LogFlushRateAndTimeMs");
        assertTrue(jmx.getAttribute(flushes, "Count") instanceof Long);
        assertTrue(jmx.getAttribute(flushes, "99thPercentile") instanceof Double);
        assertEquals(0L, jmx.getAttribute(name("kafka.server:type=ReplicaFetcherManager,name=MaxLag,clientId=Replica"),
                "Value"), "a single node follows nothing");
        for (String operation : List.of("Produce", "Fetch")) {
            assertTrue(jmx.getAttribute(name("kafka.server:type=DelayedOperationPurgatory,name=PurgatorySize,"
                    + "delayedOperation=" + operation), "Value") instanceof Integer, operation);
        }
        assertEquals(0, jmx.getAttribute(name("kafka.log:type=LogCleaner,name=DeadThreadCount"), "Value"));
        assertTrue(jmx.getAttribute(name("kafka.log:type=LogCleanerManager,name=time-since-last-run-ms"), "Value")
                instanceof Long);
    }

    private static long count(MBeanServerConnection jmx, String objectName) throws Exception {
        return (Long) jmx.getAttribute(name(objectName), "Count");
    }

    private static ObjectName name(String objectName) throws Exception {
        return new ObjectName(objectName);
    }
}
