package io.runnel.tools;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Writes consumed records as kafka-console-consumer's default formatter does: optional timestamp, partition,
 * offset, headers and key, then the value, separated by key.separator. Keys and values are written as raw bytes.
 */
final class RecordPrinter {
    private final boolean printTimestamp;
    private final boolean printPartition;
    private final boolean printOffset;
    private final boolean printHeaders;
    private final boolean printKey;
    private final boolean printValue;
    private final byte[] keySeparator;
    private final byte[] lineSeparator;
    private final byte[] headersSeparator;
    private final byte[] nullLiteral;

    RecordPrinter(Properties props) {
        printTimestamp = flag(props, "print.timestamp", false);
        printPartition = flag(props, "print.partition", false);
        printOffset = flag(props, "print.offset", false);
        printHeaders = flag(props, "print.headers", false);
        printKey = flag(props, "print.key", false);
        printValue = flag(props, "print.value", true);
        keySeparator = bytes(props.getProperty("key.separator", "\t"));
        lineSeparator = bytes(props.getProperty("line.separator", "\n"));
        headersSeparator = bytes(props.getProperty("headers.separator", ","));
        nullLiteral = bytes(props.getProperty("null.literal", "null"));
    }

    void print(ConsumerRecord<byte[], byte[]> record, OutputStream out) throws IOException {
        boolean first = true;
        if (printTimestamp) {
            first = separate(out, first);
            out.write(bytes(record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE ? "NO_TIMESTAMP"
                    : record.timestampType() + ":" + record.timestamp()));
        }
        if (printPartition) {
            first = separate(out, first);
            out.write(bytes("Partition:" + record.partition()));
        }
        if (printOffset) {
            first = separate(out, first);
            out.write(bytes("Offset:" + record.offset()));
        }
        if (printHeaders) {
            first = separate(out, first);
            printHeaders(record, out);
        }
        if (printKey) {
            first = separate(out, first);
            out.write(record.key() == null ? nullLiteral : record.key());
        }
        if (printValue) {
            separate(out, first);
            out.write(record.value() == null ? nullLiteral : record.value());
        }
        out.write(lineSeparator);
    }

    private void printHeaders(ConsumerRecord<byte[], byte[]> record, OutputStream out) throws IOException {
        Header[] headers = record.headers().toArray();
        if (headers.length == 0) {
            out.write(bytes("NO_HEADERS"));
            return;
        }
        for (int i = 0; i < headers.length; i++) {
            if (i > 0) {
                out.write(headersSeparator);
            }
            out.write(bytes(headers[i].key() + ":"));
            out.write(headers[i].value() == null ? nullLiteral : headers[i].value());
        }
    }

    private boolean separate(OutputStream out, boolean first) throws IOException {
        if (!first) {
            out.write(keySeparator);
        }
        return false;
    }

    private static boolean flag(Properties props, String key, boolean defaultValue) {
        return Boolean.parseBoolean(props.getProperty(key, Boolean.toString(defaultValue)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
