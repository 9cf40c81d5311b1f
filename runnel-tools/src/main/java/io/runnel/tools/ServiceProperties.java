package io.runnel.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The properties file of an HTTP service run alone: schema-registry.properties, kafka-rest.properties, a console's. */
final class ServiceProperties {
    private ServiceProperties() {
    }

    /** Every entry, values trimmed. */
    static Map<String, String> read(Path file) throws IOException {
        Properties loaded = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            loaded.load(in);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        loaded.stringPropertyNames().forEach(name -> properties.put(name, loaded.getProperty(name).trim()));
        return properties;
    }
}
