package io.runnel.broker.metrics;

import com.codahale.metrics.Meter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka's {@code kafka.server:type=BrokerTopicMetrics} meters, for all topics and per {@code topic} tag. A topic's
 * meters are created once, on its first produce or fetch here, and looked up by the topic name the request already
 * holds; every mark is one LongAdder add, per partition of a request, never per record. As in Kafka, replication
 * bytes are counted for all topics only.
 */
public final class BrokerTopicMetrics {
    private static final String DOMAIN = "kafka.server";
    private static final String TYPE = "BrokerTopicMetrics";
    private static final String MESSAGES_IN = "MessagesInPerSec";
    private static final String BYTES_IN = "BytesInPerSec";
    private static final String BYTES_OUT = "BytesOutPerSec";
    private static final String BYTES_REJECTED = "BytesRejectedPerSec";
    private static final String FAILED_PRODUCE = "FailedProduceRequestsPerSec";
    private static final String FAILED_FETCH = "FailedFetchRequestsPerSec";
    private static final String TOTAL_PRODUCE = "TotalProduceRequestsPerSec";
    private static final String TOTAL_FETCH = "TotalFetchRequestsPerSec";
    private static final List<String> PER_TOPIC = List.of(MESSAGES_IN, BYTES_IN, BYTES_OUT, BYTES_REJECTED,
            FAILED_PRODUCE, FAILED_FETCH, TOTAL_PRODUCE, TOTAL_FETCH);

    private final BrokerMetrics metrics;
    private final Meters all;
    private final Meter replicationBytesIn;
    private final Meter replicationBytesOut;
    private final Map<String, TopicMetrics> byTopic = new ConcurrentHashMap<>();

    BrokerTopicMetrics(BrokerMetrics metrics) {
        this.metrics = metrics;
        this.all = new Meters(metrics, null);
        this.replicationBytesIn = metrics.meter(KafkaMetricName.of(DOMAIN, TYPE, "ReplicationBytesInPerSec"));
        this.replicationBytesOut = metrics.meter(KafkaMetricName.of(DOMAIN, TYPE, "ReplicationBytesOutPerSec"));
    }

    /** The meters of one topic, which also count towards all topics'. */
    public TopicMetrics topic(String topic) {
        TopicMetrics existing = byTopic.get(topic);
        return existing != null ? existing : byTopic.computeIfAbsent(topic, t -> new TopicMetrics(new Meters(metrics, t), all));
    }

    /** Drops a deleted topic's meters, as Kafka does, so that its MBeans go. */
    public void removeTopic(String topic) {
        if (byTopic.remove(topic) != null) {
            PER_TOPIC.forEach(name -> metrics.remove(KafkaMetricName.of(DOMAIN, TYPE, name, "topic", topic)));
        }
    }

    /** Bytes a follower here appended from its leaders. */
    public void replicationBytesIn(long bytes) {
        replicationBytesIn.mark(bytes);
    }

    /** Bytes followers fetched from this leader. */
    public void replicationBytesOut(long bytes) {
        replicationBytesOut.mark(bytes);
    }

    /** One set of the per-topic meter names, for a topic or (topic null) for all topics. */
    private record Meters(Meter messagesIn, Meter bytesIn, Meter bytesOut, Meter bytesRejected, Meter failedProduce,
                          Meter failedFetch, Meter totalProduce, Meter totalFetch) {
        Meters(BrokerMetrics metrics, String topic) {
            this(meter(metrics, topic, MESSAGES_IN), meter(metrics, topic, BYTES_IN), meter(metrics, topic, BYTES_OUT),
                    meter(metrics, topic, BYTES_REJECTED), meter(metrics, topic, FAILED_PRODUCE),
                    meter(metrics, topic, FAILED_FETCH), meter(metrics, topic, TOTAL_PRODUCE),
                    meter(metrics, topic, TOTAL_FETCH));
        }

        private static Meter meter(BrokerMetrics metrics, String topic, String name) {
            return metrics.meter(topic == null ? KafkaMetricName.of(DOMAIN, TYPE, name)
                    : KafkaMetricName.of(DOMAIN, TYPE, name, "topic", topic));
        }
    }

    /** What a handler marks for one topic: each call marks the topic's meter and the all-topics one. */
    public static final class TopicMetrics {
        private final Meters topic;
        private final Meters all;

        private TopicMetrics(Meters topic, Meters all) {
            this.topic = topic;
            this.all = all;
        }

        /** A partition of a produce request reached the log (Kafka's TotalProduceRequestsPerSec is per partition). */
        public void produceRequest() {
            topic.totalProduce.mark();
            all.totalProduce.mark();
        }

        /** Batches appended: their record count comes from the offsets they were given, not from the records. */
        public void appended(long records, long bytes) {
            topic.messagesIn.mark(records);
            all.messagesIn.mark(records);
            topic.bytesIn.mark(bytes);
            all.bytesIn.mark(bytes);
        }

        public void produceFailed() {
            topic.failedProduce.mark();
            all.failedProduce.mark();
        }

        /** Batches refused for their size (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE). */
        public void bytesRejected(long bytes) {
            topic.bytesRejected.mark(bytes);
            all.bytesRejected.mark(bytes);
        }

        /** A partition of a fetch request was read (Kafka's TotalFetchRequestsPerSec is per partition). */
        public void fetchRequest() {
            topic.totalFetch.mark();
            all.totalFetch.mark();
        }

        public void fetchFailed() {
            topic.failedFetch.mark();
            all.failedFetch.mark();
        }

        /** Bytes sent to a consumer; a follower's fetches count as replication bytes out instead. */
        public void bytesOut(long bytes) {
            topic.bytesOut.mark(bytes);
            all.bytesOut.mark(bytes);
        }
    }
}
