package io.runnel.broker.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;

/**
 * One broker's metrics: its own registry (never Dropwizard's static default, since tests run several brokers in one
 * JVM), exported as MBeans under Kafka's names only when {@link #exportToJmx()} is called. JMX is one name space per
 * JVM, so only a broker that has its process to itself (what {@code runnel server} starts) exports; in-process test
 * clusters read the registry through {@link #registry()} instead, and their brokers' names never collide. The admin
 * endpoint serves the same registry in Prometheus' text format ({@link #prometheus()}), whether JMX exports or not.
 */
public final class BrokerMetrics implements AutoCloseable {
    private final MetricRegistry registry = new MetricRegistry();
    private final BrokerTopicMetrics topics = new BrokerTopicMetrics(this);
    private final RequestMetrics requests = new RequestMetrics(this);
    private final PrometheusMetrics prometheus = new PrometheusMetrics(registry);
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
        }
    }
}
