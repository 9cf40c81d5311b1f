package io.runnel.broker.metrics;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import com.codahale.metrics.Snapshot;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One MBean in the shape Kafka's own metrics library ({@code org.apache.kafka.common.metrics}) gives its metrics: an
 * object name without a {@code name} key ({@code kafka.server:type=raft-metrics},
 * {@code kafka.server:type=socket-server-metrics,listener=PLAINTEXT,networkProcessor=0}) and one attribute per metric,
 * named after it ({@code current-leader}, {@code connection-count}). Numbers are doubles, as Kafka's are. Kafka's
 * windowed rates, averages and maxima are kept by Dropwizard: a rate is its meter's one-minute rate and an average or
 * maximum is over the last minute's samples.
 */
public final class KafkaMetricsBean implements DynamicMBean {
    private static final double NANOS_PER_MILLI = 1_000_000.0;
    private static final long WINDOW_SECONDS = 60;

    private final String objectName;
    private record Metric(Supplier<Object> value, String type) {
    }

    private final Map<String, Metric> attributes = new ConcurrentSkipListMap<>();

    KafkaMetricsBean(String objectName) {
        this.objectName = objectName;
    }

    public String objectName() {
        return objectName;
    }

    /** A numeric metric, read when asked. */
    public KafkaMetricsBean number(String name, DoubleSupplier value) {
        attributes.put(name, new Metric(value::getAsDouble, double.class.getName()));
        return this;
    }

    /** A text metric (KRaft's {@code current-state}): JMX shows it, /metrics leaves it out as the exporter does. */
    public KafkaMetricsBean text(String name, Supplier<String> value) {
        attributes.put(name, new Metric(value::get, String.class.getName()));
        return this;
    }

    /** {@code <name>-rate} (per second, over the last minute) and {@code <name>-total} of a new meter, returned. */
    public Meter rateAndTotal(String name) {
        return rateAnd(name, "-total");
    }

    /** The same with {@code <name>-count} for the total, as Kafka's coordinator metrics name it. */
    public Meter rateAndCount(String name) {
        return rateAnd(name, "-count");
    }

    private Meter rateAnd(String name, String totalSuffix) {
        Meter meter = new Meter();
        number(name + "-rate", meter::getOneMinuteRate);
        number(name + totalSuffix, meter::getCount);
        return meter;
    }

    /**
     * {@code <name>-avg} and {@code <name>-max} in milliseconds of the durations given to the returned histogram in
     * nanoseconds over the last minute; NaN without any, as Kafka's.
     */
    public Histogram avgAndMaxMs(String name) {
        Histogram histogram = new Histogram(new SlidingTimeWindowArrayReservoir(WINDOW_SECONDS, TimeUnit.SECONDS));
        number(name + "-avg", () -> ms(histogram.getSnapshot(), Snapshot::getMean));
        number(name + "-max", () -> ms(histogram.getSnapshot(), Snapshot::getMax));
        return histogram;
    }

    private static double ms(Snapshot snapshot, ToDoubleFunction<Snapshot> value) {
        return snapshot.size() == 0 ? Double.NaN : value.applyAsDouble(snapshot) / NANOS_PER_MILLI;
    }

    /** Every metric's current value, by name; a metric that fails to read is left out. */
    public Map<String, Object> values() {
        Map<String, Object> values = new TreeMap<>();
        attributes.forEach((name, metric) -> {
            try {
                values.put(name, metric.value.get());
            } catch (RuntimeException e) {
                // what the metric reads is closing under it: left out of this read
            }
        });
        return values;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Metric metric = attributes.get(attribute);
        if (metric == null) {
            throw new AttributeNotFoundException(attribute + " is not a metric of " + objectName);
        }
        return metric.value.get();
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("metrics are read-only: " + attribute.getName());
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String name : names) {
            Metric metric = attributes.get(name);
            if (metric != null) {
                list.add(new Attribute(name, metric.value.get()));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName), "metrics have no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] infos = attributes.entrySet().stream().map(e -> new MBeanAttributeInfo(e.getKey(),
                        e.getValue().type, e.getKey(), true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        return new MBeanInfo(KafkaMetricsBean.class.getName(), objectName, infos, null, null, null);
    }
}
