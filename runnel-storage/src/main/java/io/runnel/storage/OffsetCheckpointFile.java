package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-log-dir offset per partition in Kafka's checkpoint text format: version 0, the count, then one
 * "topic partition offset" line each ({@code recovery-point-offset-checkpoint}, {@code replication-offset-checkpoint},
 * {@code log-start-offset-checkpoint}).
 */
final class OffsetCheckpointFile {
    static final String RECOVERY_POINT = "recovery-point-offset-checkpoint";
    static final String HIGH_WATERMARK = "replication-offset-checkpoint";
    static final String LOG_START = "log-start-offset-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(OffsetCheckpointFile.class);

    private OffsetCheckpointFile() {
    }

    /** The offsets in the file; empty if missing or unreadable (every offset then falls back to a safe default). */
    static Map<TopicPartition, Long> read(Path file) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (!Files.exists(file)) {
            return offsets;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            if (!"0".equals(lines.get(0).trim())) {
                throw new IllegalArgumentException("unknown version " + lines.get(0));
            }
            int count = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(2 + i).trim().split("\\s+");
                offsets.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ignoring unreadable {}: {}", file, e.toString());
            offsets.clear();
        }
        return offsets;
    }

    static void write(Path file, Map<TopicPartition, Long> offsets) {
        StringBuilder text = new StringBuilder("0\n").append(offsets.size()).append('\n');
        offsets.forEach((tp, offset) -> text.append(tp.topic()).append(' ').append(tp.partition()).append(' ')
                .append(offset).append('\n'));
        AtomicFile.write(file, text.toString());
    }
}
