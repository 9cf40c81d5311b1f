package io.runnel.it.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.it.KafkaEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what a client's Avro serializer wrote, byte by byte: Confluent's wire format is a 0, the schema id in 4
 * big-endian bytes, then Avro binary, which Apache Avro's Java reader decodes with the registry's schema.
 */
final class ConfluentWireFormat {
    private ConfluentWireFormat() {
    }

    /** The first {@code count} values of partition 0, each checked for the id and decoded as "name age". */
    static List<String> decodeUsers(KafkaEndpoint cluster, String topic, int count, int id, String schemaText)
            throws IOException {
        Schema schema = new Schema.Parser().parse(schemaText);
        List<String> users = new ArrayList<>();
        for (byte[] value : values(cluster, topic, count)) {
            ByteBuffer bytes = ByteBuffer.wrap(value);
            assertEquals(0, bytes.get(), "magic byte");
            assertEquals(id, bytes.getInt(), "schema id");
            GenericRecord user = new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
                    .binaryDecoder(value, bytes.position(), bytes.remaining(), null));
            users.add(user.get("name") + " " + user.get("age"));
        }
        return users;
    }

    private static List<byte[]> values(KafkaEndpoint cluster, String topic, int count) {
        List<byte[]> values = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = cluster.consumer(new Properties())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
