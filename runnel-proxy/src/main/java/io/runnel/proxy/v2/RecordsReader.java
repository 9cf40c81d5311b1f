package io.runnel.proxy.v2;

import io.runnel.proxy.format.EmbeddedData;
import io.runnel.proxy.format.EmbeddedFormat;
import io.runnel.proxy.format.SchemaRegistryClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** One records request of a consumer instance, on its thread. */
final class RecordsReader {
    private RecordsReader() {
    }

    /**
     * Polls until records come or {@code timeoutMs} passes, then answers them up to {@code maxBytes} of keys and
     * values (at least one record); the consumer is moved back to the first record not answered in each partition, so
     * the next request starts there and nothing is skipped.
     */
    static JsonArray read(KafkaConsumer<byte[], byte[]> consumer, EmbeddedFormat format, long timeoutMs,
                          long maxBytes, SchemaRegistryClient registry) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        ConsumerRecords<byte[], byte[]> polled;
        do {
            polled = consumer.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } while (polled.isEmpty() && System.nanoTime() < deadline);
        JsonArray records = new JsonArray();
        Map<TopicPartition, Long> rewind = new HashMap<>();
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (rewind.containsKey(partition)) {
                continue;
            }
            long size = (record.key() == null ? 0 : record.key().length)
                    + (record.value() == null ? 0 : record.value().length);
            if (!records.isEmpty() && bytes + size > maxBytes) {
                rewind.put(partition, record.offset());
                continue;
            }
            bytes += size;
            records.add(new JsonObject().put("topic", record.topic())
                    .put("key", EmbeddedData.embed(format, record.key(), registry))
                    .put("value", EmbeddedData.embed(format, record.value(), registry))
                    .put("partition", record.partition()).put("offset", record.offset()));
        }
        rewind.forEach(consumer::seek);
        return records;
    }
}
