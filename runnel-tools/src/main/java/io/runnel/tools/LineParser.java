package io.runnel.tools;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Turns a line of console-producer input into a record, splitting off the key when parse.key=true. */
final class LineParser {
    private final boolean parseKey;
    private final String keySeparator;
    private final boolean ignoreError;

    LineParser(Properties props) {
        parseKey = Boolean.parseBoolean(props.getProperty("parse.key", "false"));
        keySeparator = props.getProperty("key.separator", "\t");
        ignoreError = Boolean.parseBoolean(props.getProperty("ignore.error", "false"));
    }

    ProducerRecord<byte[], byte[]> parse(String topic, String line, int lineNumber) {
        if (!parseKey) {
            return new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8));
        }
        int at = line.indexOf(keySeparator);
        if (at < 0) {
            if (!ignoreError) {
                throw new IllegalArgumentException("No key separator found on line number " + lineNumber + ": '" + line + "'");
            }
            return new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(topic, line.substring(0, at).getBytes(StandardCharsets.UTF_8),
                line.substring(at + keySeparator.length()).getBytes(StandardCharsets.UTF_8));
    }
}
