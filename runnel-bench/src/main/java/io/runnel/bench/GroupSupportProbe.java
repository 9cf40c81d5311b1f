package io.runnel.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Tells whether a broker supports consumer groups: a subscribing consumer gets its partition assigned. */
final class GroupSupportProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private GroupSupportProbe() {
    }

    static boolean supportsGroups(BrokerCluster broker) throws Exception {
        String topic = "bench-group-probe";
        broker.createTopic(topic, 1);
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "runnel-bench-group-probe");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            return !consumer.assignment().isEmpty();
        } catch (KafkaException e) {
            return false;
        }
    }
}
