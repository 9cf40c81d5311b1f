package io.runnel.broker.metrics;

import com.codahale.metrics.jmx.ObjectNameFactory;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Names each MBean exactly as its metric is named ({@link KafkaMetricName}), ignoring the reporter's domain and
 * Dropwizard's metric-type key, so that dashboards and the Prometheus JMX exporter's Kafka rules find Kafka's names.
 */
public final class KafkaObjectNameFactory implements ObjectNameFactory {
    @Override
    public ObjectName createName(String type, String domain, String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a Kafka metric name: " + name, e);
        }
    }
}
