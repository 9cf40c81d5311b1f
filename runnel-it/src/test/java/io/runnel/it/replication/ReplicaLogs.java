package io.runnel.it.replication;

import io.runnel.storage.record.LogFileDump;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A replica's log on disk, read with runnel-storage's own segment reader. */
final class ReplicaLogs {
    private ReplicaLogs() {
    }

    /**
     * The size and SHA-256 of the bytes of every batch below a high watermark, segments in offset order: what all
     * replicas of a partition must hold identically. Streamed, so a campaign's gigabytes of log need no heap.
     */
    record Content(long size, String sha256) {
    }

    static Content below(Path logDir, String topic, int partition, long highWatermark) throws IOException {
        Path dir = logDir.resolve(topic + "-" + partition);
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
        MessageDigest digest = sha256();
        long size = 0;
        for (Path segment : segments) {
            long[] end = {0};
            LogFileDump.dump(segment, false, batch -> {
                if (batch.lastOffset() < highWatermark) {
                    end[0] = batch.position() + batch.sizeInBytes();
                }
            });
            try (InputStream in = Files.newInputStream(segment)) {
                byte[] buffer = new byte[1 << 16];
                for (long left = end[0]; left > 0; ) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException(segment + " ends before byte " + end[0]);
                    }
                    digest.update(buffer, 0, n);
                    left -= n;
                }
            }
            size += end[0];
        }
        return new Content(size, HexFormat.of().formatHex(digest.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
