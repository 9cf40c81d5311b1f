package io.runnel.it.replication;

import io.runnel.storage.record.LogFileDump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A replica's log as bytes on disk, read with runnel-storage's own segment reader. */
final class ReplicaLogs {
    private ReplicaLogs() {
    }

    /**
     * The bytes of every batch below {@code highWatermark} in the partition's directory under {@code logDir}, its
     * segments in offset order: what all replicas of a partition must hold identically.
     */
    static byte[] bytesBelow(Path logDir, String topic, int partition, long highWatermark) throws IOException {
        Path dir = logDir.resolve(topic + "-" + partition);
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Path segment : segments) {
            long[] end = {0};
            LogFileDump.dump(segment, false, batch -> {
                if (batch.lastOffset() < highWatermark) {
                    end[0] = batch.position() + batch.sizeInBytes();
                }
            });
            try (InputStream in = Files.newInputStream(segment)) {
                bytes.write(in.readNBytes((int) end[0]));
            }
        }
        return bytes.toByteArray();
    }
}
