package io.runnel.broker.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Counting per topic and for all topics, and Kafka's names for both. */
class BrokerTopicMetricsTest {
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final MetricRegistry registry = metrics.registry();

    private long count(String name) {
        Meter meter = registry.getMeters().get(name);
        return meter == null ? -1 : meter.getCount();
    }

    @Test
    void eachTopicCountsForItselfAndForAllTopics() {
        metrics.topics().topic("a").appended(3, 300);
        metrics.topics().topic("b").appended(2, 50);
        metrics.topics().topic("a").bytesOut(120);
        metrics.topics().topic("b").produceRequest();

        assertEquals(3, count("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=a"));
        assertEquals(2, count("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=b"));
        assertEquals(5, count("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"));
        assertEquals(350, count("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec"));
        assertEquals(120, count("kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec,topic=a"));
        assertEquals(1, count("kafka.server:type=BrokerTopicMetrics,name=TotalProduceRequestsPerSec"));
        assertSame(metrics.topics().topic("a"), metrics.topics().topic("a"), "a topic's meters are made once");
    }

    @Test
    void replicationBytesAreCountedForAllTopicsOnly() {
        metrics.topics().replicationBytesIn(10);
        metrics.topics().replicationBytesOut(20);
        assertEquals(10, count("kafka.server:type=BrokerTopicMetrics,name=ReplicationBytesInPerSec"));
        assertEquals(20, count("kafka.server:type=BrokerTopicMetrics,name=ReplicationBytesOutPerSec"));
        metrics.topics().topic("a");
        assertFalse(registry.getMeters().containsKey(
                "kafka.server:type=BrokerTopicMetrics,name=ReplicationBytesInPerSec,topic=a"));
    }

    @Test
    void aDeletedTopicsMetersGoAndTheAggregateStays() {
        metrics.topics().topic("gone").appended(4, 40);
        metrics.topics().removeTopic("gone");
        assertFalse(registry.getNames().stream().anyMatch(n -> n.endsWith("topic=gone")), registry.getNames().toString());
        assertEquals(4, count("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec"));
    }
}
