package org.apache.kafka.common.utils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Where connect-file 4.3.1 (FileStreamSource and FileStreamSink; no 4.4.0 is published) finds the kafka-clients
 * version: kafka-clients 4.4.0 moved this class to an internal package, so without it every {@code version()} call of
 * those connectors fails with NoClassDefFoundError. It reads the version file kafka-clients ships, as the class did.
 */
public final class AppInfoParser {
    private AppInfoParser() {
    }

    public static String getVersion() {
        try (InputStream in = AppInfoParser.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties props = new Properties();
            if (in != null) {
                props.load(in);
            }
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
