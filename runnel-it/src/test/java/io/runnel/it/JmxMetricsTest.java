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
    }

    private static long count(MBeanServerConnection jmx, String objectName) throws Exception {
        return (Long) jmx.getAttribute(name(objectName), "Count");
    }

    private static ObjectName name(String objectName) throws Exception {
        return new ObjectName(objectName);
    }
}
