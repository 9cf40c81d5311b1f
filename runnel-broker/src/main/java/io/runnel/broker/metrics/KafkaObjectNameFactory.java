package io.runnel.broker.metrics;

import com.codahale.metrics.jmx.ObjectNameFactory;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Names each MBean exactly as its metric is named ({@link KafkaMetricName}), ignoring the reporter's domain and
 * Dropwizard's metric-type key, so that dashboards and the Prometheus JMX exporter's Kafka rules find Kafka's names.
 */
public final class KafkaObjectNameFactory implements ObjectNameFactory {
    /** Where a name that is no valid object name goes, quoted whole. */
    static final String UNNAMEABLE_DOMAIN = "runnel.unnameable";

    @Override
    public ObjectName createName(String type, String domain, String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            // A tag value with characters JMX reserves (a log directory's odd topic name): the metric is still
            // exported, and registering it never fails, which would fail whatever created the metric.
            try {
                return new ObjectName(UNNAMEABLE_DOMAIN, "name", ObjectName.quote(name));
            } catch (MalformedObjectNameException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
