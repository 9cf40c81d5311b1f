package io.runnel.broker.metrics;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MBeans a broker's metrics become: Kafka's object names and attribute shapes. */
class BrokerMetricsJmxTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final BrokerMetrics metrics = new BrokerMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void metersAreKafkaMBeansWithCountAndRates() throws Exception {
        metrics.exportToJmx();
        metrics.topics().topic("orders").appended(7, 700);

        ObjectName topic = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=orders");
        ObjectName all = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec");
        assertEquals(7L, server.getAttribute(topic, "Count"));
        assertEquals(7L, server.getAttribute(all, "Count"));
        assertEquals(700L, server.getAttribute(
                new ObjectName("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=orders"), "Count"));
        for (String rate : new String[] {"MeanRate", "OneMinuteRate", "FiveMinuteRate", "FifteenMinuteRate"}) {
            assertTrue(server.getAttribute(topic, rate) instanceof Double, rate);
        }
        assertNotNull(server.getAttribute(topic, "RateUnit"));
    }

    @Test
    void requestTimesAreHistogramsWithPercentilesAndRequestsCountByVersion() throws Exception {
        metrics.exportToJmx();
        ApiRequestMetrics produce = metrics.requests().of(ApiKeys.PRODUCE);
        produce.request((short) 9);
        produce.times(0, TimeUnit.MILLISECONDS.toNanos(2), TimeUnit.MILLISECONDS.toNanos(3), 0, 0,
                TimeUnit.MILLISECONDS.toNanos(5));
        produce.errors(Errors.NONE, 3);

        assertEquals(1L, server.getAttribute(
                new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,version=9"), "Count"));
        ObjectName total = new ObjectName("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce");
        assertEquals(1L, server.getAttribute(total, "Count"));
        assertEquals(5L, server.getAttribute(total, "Max"));
        for (String attribute : new String[] {"Min", "Mean", "StdDev", "50thPercentile", "75thPercentile",
                "95thPercentile", "98thPercentile", "99thPercentile", "999thPercentile"}) {
            assertNotNull(server.getAttribute(total, attribute), attribute);
        }
        assertEquals(3L, server.getAttribute(
                new ObjectName("kafka.network:type=RequestMetrics,name=RemoteTimeMs,request=Produce"), "Max"));
        assertEquals(3L, server.getAttribute(
                new ObjectName("kafka.network:type=RequestMetrics,name=ErrorsPerSec,request=Produce,error=NONE"), "Count"));
    }

    @Test
    void gaugesExposeValueAndGoWithTheirMetric() throws Exception {
        metrics.exportToJmx();
        String name = KafkaMetricName.of("kafka.log", "Log", "LogEndOffset", "topic", "orders", "partition", "0");
        metrics.gauge(name, () -> 42L);
        ObjectName mbean = new ObjectName("kafka.log:type=Log,name=LogEndOffset,topic=orders,partition=0");
        assertEquals(42L, server.getAttribute(mbean, "Value"));

        metrics.remove(name);
        assertFalse(server.isRegistered(mbean));
    }

    @Test
    void aNameJmxCannotTakeIsExportedQuotedInsteadOfFailingTheMetric() throws Exception {
        metrics.exportToJmx();
        String name = KafkaMetricName.of("kafka.log", "Log", "Size", "topic", "odd,name=x", "partition", "0");
        metrics.gauge(name, () -> 1L);
        assertEquals(1L, server.getAttribute(new ObjectName(KafkaObjectNameFactory.UNNAMEABLE_DOMAIN, "name",
                ObjectName.quote(name)), "Value"));
    }

    @Test
    void closingUnregistersAndUnexportedMetricsAreNoMBeans() throws Exception {
        ObjectName all = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec");
        assertFalse(server.isRegistered(all), "a broker that does not export registers nothing");
        metrics.exportToJmx();
        assertTrue(server.isRegistered(all));
        metrics.close();
        assertFalse(server.isRegistered(all));
    }
}
