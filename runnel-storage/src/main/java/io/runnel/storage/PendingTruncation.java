package io.runnel.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The durable intent of a truncation in progress, file {@code truncation-in-progress} in the partition directory:
 * written (and the directory synced) before the first file of the truncation changes, deleted once the last change is
 * durable. A log loaded with it present completes the truncation, so that no part of a removed suffix comes back.
 */
record PendingTruncation(boolean full, long offset) {
    static final String FILE_NAME = "truncation-in-progress";
    private static final String TO = "truncate-to";
    private static final String FULLY_AT = "truncate-fully-and-start-at";

    void write(Path dir) throws IOException {
        AtomicFile.write(dir.resolve(FILE_NAME), (full ? FULLY_AT : TO) + " " + offset + "\n");
        LogFiles.syncDir(dir);
    }

    static void clear(Path dir) throws IOException {
        LogFiles.syncDir(dir);
        Files.deleteIfExists(dir.resolve(FILE_NAME));
    }

    /** The truncation a crash interrupted, if any; a file that cannot be parsed is an error, never ignored. */
    static Optional<PendingTruncation> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String[] parts = Files.readString(file).trim().split(" ");
        if (parts.length != 2 || !(TO.equals(parts[0]) || FULLY_AT.equals(parts[0]))) {
            throw new IOException("Malformed " + file + ": " + String.join(" ", parts));
        }
        return Optional.of(new PendingTruncation(FULLY_AT.equals(parts[0]), Long.parseLong(parts[1])));
    }
}
