package io.runnel.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.kafka.common.Uuid;

/** {@code partition.metadata}: the topic id of a partition directory, in Kafka's format (version 0). */
final class PartitionMetadataFile {
    static final String FILE_NAME = "partition.metadata";

    private PartitionMetadataFile() {
    }

    static void write(Path dir, Uuid topicId) {
        AtomicFile.write(dir.resolve(FILE_NAME), "version: 0\ntopic_id: " + topicId + "\n");
    }

    static Optional<Uuid> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("topic_id:")) {
                    return Optional.of(Uuid.fromString(line.substring("topic_id:".length()).trim()));
                }
            }
            throw new IllegalStateException(file + " has no topic_id");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
