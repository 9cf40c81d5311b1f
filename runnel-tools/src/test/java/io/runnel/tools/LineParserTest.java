package io.runnel.tools;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineParserTest {
    private static LineParser parser(String... keyValues) {
        Properties props = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return new LineParser(props);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aLineIsTheValueByDefault() {
        ProducerRecord<byte[], byte[]> record = parser().parse("t", "a:b\tc", 1);
        assertEquals("t", record.topic());
        assertNull(record.key());
        assertEquals("a:b\tc", text(record.value()));
    }

    @Test
    void parseKeySplitsAtTheFirstSeparator() {
        ProducerRecord<byte[], byte[]> record = parser("parse.key", "true", "key.separator", ":").parse("t", "k:v:w", 1);
        assertEquals("k", text(record.key()));
        assertEquals("v:w", text(record.value()));
        ProducerRecord<byte[], byte[]> tab = parser("parse.key", "true").parse("t", "k\tv", 1);
        assertEquals("k", text(tab.key()));
    }

    @Test
    void aMissingSeparatorIsAnErrorUnlessIgnored() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parser("parse.key", "true", "key.separator", ":").parse("t", "novalue", 7));
        assertTrue(e.getMessage().contains("No key separator found on line number 7"), e.getMessage());
        ProducerRecord<byte[], byte[]> record = parser("parse.key", "true", "key.separator", ":", "ignore.error", "true")
                .parse("t", "novalue", 7);
        assertNull(record.key());
        assertEquals("novalue", text(record.value()));
    }
}
