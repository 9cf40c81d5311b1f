package io.runnel.storage;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.common.Uuid;

/** A log dir's {@code meta.properties} in Kafka's KRaft format (version 1). */
public final class MetaProperties {
    public static final String FILE_NAME = "meta.properties";

    private final String clusterId;
    private final int nodeId;
    private final Uuid directoryId;

    private MetaProperties(String clusterId, int nodeId, Uuid directoryId) {
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.directoryId = directoryId;
    }

    public static void write(Path logDir, String clusterId, int nodeId, Uuid directoryId) {
        Properties props = new Properties();
        props.setProperty("version", "1");
        props.setProperty("cluster.id", clusterId);
        props.setProperty("node.id", Integer.toString(nodeId));
        props.setProperty("directory.id", directoryId.toString());
        StringWriter out = new StringWriter();
        try {
            Files.createDirectories(logDir);
            props.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + logDir.resolve(FILE_NAME), e);
        }
        AtomicFile.write(logDir.resolve(FILE_NAME), out.toString());
    }

    /** Empty if the dir has no meta.properties; an unreadable or non-version-1 file is an error. */
    public static Optional<MetaProperties> read(Path logDir) {
        Path file = logDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (!"1".equals(props.getProperty("version"))) {
            throw new IllegalStateException(file + ": unsupported version " + props.getProperty("version")
                    + ", expected 1");
        }
        return Optional.of(new MetaProperties(required(props, "cluster.id", file),
                Integer.parseInt(required(props, "node.id", file)),
                Uuid.fromString(required(props, "directory.id", file))));
    }

    private static String required(Properties props, String key, Path file) {
        String value = props.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(file + ": missing " + key);
        }
        return value;
    }

    public String clusterId() {
        return clusterId;
    }

    public int nodeId() {
        return nodeId;
    }

    public Uuid directoryId() {
        return directoryId;
    }
}
