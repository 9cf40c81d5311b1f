package io.runnel.broker.metrics;

/**
 * Builds a metric's name as the JMX object name Kafka gives it, e.g.
 * {@code kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=orders}: the registry is keyed by the very
 * string {@link KafkaObjectNameFactory} turns into the MBean's name, so no mapping table can drift from Kafka's names.
 * Key order is Kafka's (type, name, then the tags in the order Kafka adds them), which JConsole shows as the tree.
 */
public final class KafkaMetricName {
    private KafkaMetricName() {
    }

    /**
     * @param tags alternating tag keys and values; values are topic names, numbers and API names, which Kafka's
     *             naming rules keep free of the characters an object name would have to quote (a name that is not
     *             valid all the same is exported quoted, see {@link KafkaObjectNameFactory})
     */
    public static String of(String domain, String type, String name, String... tags) {
        if (tags.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in key/value pairs");
        }
        StringBuilder s = new StringBuilder(domain).append(":type=").append(type).append(",name=").append(name);
        for (int i = 0; i < tags.length; i += 2) {
            s.append(',').append(tags[i]).append('=').append(tags[i + 1]);
        }
        return s.toString();
    }
}
