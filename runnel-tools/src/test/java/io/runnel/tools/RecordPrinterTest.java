package io.runnel.tools;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordPrinterTest {
    private static final ConsumerRecord<byte[], byte[]> RECORD = new ConsumerRecord<>("t", 2, 42L, 1000L,
            TimestampType.CREATE_TIME, 1, 1, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8),
            new RecordHeaders().add("h1", "x".getBytes(StandardCharsets.UTF_8)).add("h2", "y".getBytes(StandardCharsets.UTF_8)),
            Optional.empty());

    private static String print(ConsumerRecord<byte[], byte[]> record, String... keyValues) throws IOException {
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.setProperty(keyValues[i], keyValues[i + 1]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RecordPrinter(props).print(record, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theValueAloneByDefault() throws IOException {
        assertEquals("v\n", print(RECORD));
    }

    @Test
    void everyFieldInKafkasOrder() throws IOException {
        assertEquals("CreateTime:1000\tPartition:2\tOffset:42\th1:x,h2:y\tk\tv\n", print(RECORD,
                "print.timestamp", "true", "print.partition", "true", "print.offset", "true",
                "print.headers", "true", "print.key", "true"));
    }

    @Test
    void separatorsAndNullsAreConfigurable() throws IOException {
        ConsumerRecord<byte[], byte[]> nullKey = new ConsumerRecord<>("t", 0, 0L, null, "v".getBytes(StandardCharsets.UTF_8));
        assertEquals("null:v|", print(nullKey, "print.key", "true", "key.separator", ":", "line.separator", "|"));
        assertEquals("NO_HEADERS\tnone\tv\n", print(nullKey, "print.headers", "true", "print.key", "true",
                "null.literal", "none"));
    }

    @Test
    void theValueCanBeLeftOut() throws IOException {
        assertEquals("k\n", print(RECORD, "print.key", "true", "print.value", "false"));
    }
}
