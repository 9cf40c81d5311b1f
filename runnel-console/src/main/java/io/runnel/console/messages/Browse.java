package io.runnel.console.messages;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What a user asked to see of a topic: where to start (the start, the end, an offset or a timestamp), which partition
 * (null: all), how many records, and the filters a record must pass (empty: none). A header filter is
 * {@code name} (present) or {@code name=value}.
 */
record Browse(From from, Integer partition, long offset, long timestamp, int limit, String keyContains,
              String valueContains, String header) {
    enum From { START, END, OFFSET, TIMESTAMP }

    boolean filtered() {
        return !keyContains.isEmpty() || !valueContains.isEmpty() || !header.isEmpty();
    }

    boolean matches(ConsumerRecord<byte[], byte[]> record) {
        return contains(record.key(), keyContains) && contains(record.value(), valueContains) && hasHeader(record);
    }

    private boolean hasHeader(ConsumerRecord<byte[], byte[]> record) {
        if (header.isEmpty()) {
            return true;
        }
        int equals = header.indexOf('=');
        String name = equals < 0 ? header : header.substring(0, equals);
        for (Header h : record.headers()) {
            if (h.key().equals(name) && (equals < 0 || Arrays.equals(h.value(),
                    header.substring(equals + 1).getBytes(StandardCharsets.UTF_8)))) {
                return true;
            }
        }
        return false;
    }

    /** The bytes as UTF-8 text contain {@code part}; an empty {@code part} matches everything, null included. */
    private static boolean contains(byte[] bytes, String part) {
        return part.isEmpty() || bytes != null && new String(bytes, StandardCharsets.UTF_8).contains(part);
    }
}
