package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.jmx.JmxReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One broker's metrics: its own registry (never Dropwizard's static default, since tests run several brokers in one
 * JVM), exported as MBeans under Kafka's names only when {@link #exportToJmx()} is called. JMX is one name space per
 * JVM, so only a broker that has its process to itself (what {@code runnel server} starts) exports; in-process test
 * clusters read the registry through {@link #registry()} instead, and their brokers' names never collide. The admin
 * endpoint serves the same registry in Prometheus' text format ({@link #prometheus()}), whether JMX exports or not.
 */
public final class BrokerMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerMetrics.class);

    private final MetricRegistry registry = new MetricRegistry();
    private final BrokerTopicMetrics topics = new BrokerTopicMetrics(this);
    private final RequestMetrics requests = new RequestMetrics(this);
    /** Metrics in the shape of Kafka's own metrics library, by object name. */
    private final Map<String, KafkaMetricsBean> kafkaMetrics = new ConcurrentHashMap<>();
    private final PrometheusMetrics prometheus = new PrometheusMetrics(registry, kafkaMetrics.values());
    private JmxReporter jmx;

    public MetricRegistry registry() {
        return registry;
    }

    public BrokerTopicMetrics topics() {
        return topics;
    }

    public RequestMetrics requests() {
        return requests;
    }

    /** The same metrics in Prometheus' formats, for the admin endpoint's /metrics. */
    public PrometheusMetrics prometheus() {
        return prometheus;
    }

    /** Registers every metric, present and future, with the platform MBean server under Kafka's object names. */
    public synchronized void exportToJmx() {
        if (jmx == null) {
            jmx = JmxReporter.forRegistry(registry).createsObjectNamesWith(new KafkaObjectNameFactory()).build();
            jmx.start();
            kafkaMetrics.values().forEach(BrokerMetrics::register);
        }
    }

    /**
     * The MBean of Kafka-library metrics of that object name (e.g. {@code kafka.server:type=raft-metrics}), created
     * on first use and exported with the rest; add its metrics with {@link KafkaMetricsBean#number} and the like.
     */
    public synchronized KafkaMetricsBean kafkaMetrics(String objectName) {
        KafkaMetricsBean bean = kafkaMetrics.get(objectName);
        if (bean == null) {
            bean = new KafkaMetricsBean(objectName);
            kafkaMetrics.put(objectName, bean);
            if (jmx != null) {
                register(bean);
            }
        }
        return bean;
    }

    /** The Kafka-library metrics of that object name, or null. */
    public KafkaMetricsBean kafkaMetricsOrNull(String objectName) {
        return kafkaMetrics.get(objectName);
    }

    public synchronized void removeKafkaMetrics(String objectName) {
        if (kafkaMetrics.remove(objectName) != null && jmx != null) {
            unregister(objectName);
        }
    }

    private static void register(KafkaMetricsBean bean) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(bean, new ObjectName(bean.objectName()));
        } catch (JMException e) {
            LOG.warn("Cannot export the metrics {} over JMX: {}", bean.objectName(), e.toString());
        }
    }

    private static void unregister(String objectName) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(objectName));
        } catch (JMException e) {
            LOG.debug("The metrics {} were not exported: {}", objectName, e.toString());
        }
    }

    /** The meter of that name, created on first use. */
    Meter meter(String name) {
        return registry.meter(name);
    }

    /** The histogram of that name, created on first use; its reservoir takes no lock when updated. */
    Histogram histogram(String name) {
        return registry.histogram(name, () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
    }

    /**
     * The timer of that name, created on first use: a meter of its events and a histogram of their durations, shown
     * in milliseconds over JMX as Kafka's timers are. Its reservoir takes no lock when updated.
     */
    Timer timer(String name) {
        return registry.timer(name, () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    }

    /** Registers a gauge, replacing one of the same name (a log deleted and created again keeps its name). */
    void gauge(String name, Gauge<?> gauge) {
        registry.remove(name);
        registry.register(name, gauge);
    }

    void remove(String name) {
        registry.remove(name);
    }

    /** Unregisters the MBeans: a broker restarted in the same JVM registers them again. */
    @Override
    public synchronized void close() {
        if (jmx != null) {
            jmx.close();
            jmx = null;
            kafkaMetrics.keySet().forEach(BrokerMetrics::unregister);
        }
    }
}
